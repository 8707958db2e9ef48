import pytest


@pytest.fixture(autouse=True)
def _tasks_queued_as_make_run_does(settings):
    """The demo queues its e-mails and case-form PDFs in the database, as `make run` does (a
    worker sends them), instead of running them at once like the rest of the suite: the demo's
    tests are about the data, and fourteen PDFs per load would only slow them down."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
