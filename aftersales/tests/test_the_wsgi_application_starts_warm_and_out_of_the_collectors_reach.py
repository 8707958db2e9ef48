"""The WSGI entry point (what gunicorn loads, before it forks its workers with `--preload`)
loads every view and catalogue, then moves what it loaded out of the garbage collector's reach
(`gc.freeze`): a full collection during a request then walks only the request's own objects.
Measured under load (`make bench`'s search by serial number, 2 workers, 8 in flight): about
8 % less CPU per request."""

from aftersales.core.tests._subprocess import production_env, run_python

PROBE = """
import gc, sys
import aftersales.wsgi
print(gc.get_freeze_count(), len(gc.get_objects()), "aftersales.workshop.views" in sys.modules)
"""


def test_the_wsgi_module_freezes_what_it_loaded_with_every_view():
    # Production's settings on SQLite (no DATABASE_URL): nothing here reads the database.
    result = run_python("-c", PROBE, env=production_env())
    assert result.returncode == 0, result.stderr
    frozen, tracked, views_loaded = result.stdout.split()
    # Django, the views and their libraries: far more objects than one request allocates.
    assert int(frozen) > 100_000
    # Once frozen, the collector tracks only what was made after: a few at most here.
    assert int(tracked) < int(frozen) // 100
    assert views_loaded == "True"
