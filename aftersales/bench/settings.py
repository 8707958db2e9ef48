"""The settings `make bench` serves the app with: production's (`aftersales.settings`, DEBUG
off), except that the static files are collected into the run's temporary directory
(`BENCH_STATIC_ROOT`) with the manifest only, not also compressed: the same `{% static %}`
lookups for the pages, in seconds rather than the minute and a half WhiteNoise takes to compress
every file. No benchmark fetches a static file. The contact form's limit per address is raised
(below)."""

import os
from pathlib import Path

from aftersales.settings import *  # noqa: F403
from aftersales.settings import STORAGES

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

# Every request of the benchmark comes from 127.0.0.1, and the contact form's scenario sends
# thousands in a minute: at the production limit (20 an hour per address) all but the first
# twenty would be answered 429 and the figure would be that of the refusal, not of a ticket
# opened. Raised here only; the limit itself is still checked and counted on every request.
SUPPORT_CONTACT_LIMIT_PER_ADDRESS = 1_000_000_000
