import gc
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
    # What is loaded now lives as long as the process: kept out of the garbage collector's
    # reach (`gc.freeze`), each of its full collections no longer walks the hundreds of
    # thousands of objects of Django, the views and their libraries — and a forked worker
    # shares their memory pages with its siblings rather than copying the ones the
    # collector would have written to.
    gc.collect()
    gc.freeze()


_warm()
