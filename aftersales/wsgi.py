import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
application = get_wsgi_application()


def _warm() -> None:
    """Every view and both languages' catalogues loaded now, before a preloading server
    (`gunicorn --preload`) forks its workers: otherwise each worker's first request imports the
    views (matplotlib, WeasyPrint: over a second) and reads the catalogues."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 (imports the URL map and every view)
    for code, _name in settings.LANGUAGES:
        translation.activate(code)  # reads the language's catalogues
    translation.deactivate()


_warm()
