"""The settings `make bench` serves the app with: production's (`aftersales.settings`, DEBUG
off), except that the static files are collected into the run's temporary directory
(`BENCH_STATIC_ROOT`) with the manifest only, not also compressed: the same `{% static %}`
lookups for the pages, in seconds rather than the minute and a half WhiteNoise takes to compress
every file. No benchmark fetches a static file."""

import os
from pathlib import Path

from aftersales.settings import *  # noqa: F403
from aftersales.settings import STORAGES

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
