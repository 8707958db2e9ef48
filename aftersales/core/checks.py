"""System checks of the deployment (`manage.py check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

# Caches whose counts live in one process: each gunicorn worker would keep its own.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, Tags.security, deploy=True)
def shared_cache_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Rate limits (log-in failures per address, serial look-ups, activation codes, progress
    queries) count in the default cache: in production it must be shared by every process,
    or each worker counts alone and the limits multiply by the number of workers."""
    if settings.DEBUG:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            f"The default cache ({backend}) is kept in each process: rate limits are counted "
            "per process, so several workers multiply them.",
            hint="Set REDIS_URL to a Redis server shared by every web process.",
            id="aftersales.W001",
        )
    ]
