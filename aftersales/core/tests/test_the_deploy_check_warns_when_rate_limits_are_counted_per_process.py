"""Rate limits count in the default cache. Without REDIS_URL it lives in each process, so
`check --deploy` warns (aftersales.W001) when production (DEBUG off) runs that way."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks

from ._subprocess import production_env, run_python

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/0",
    }
}


def _ids(include_deployment_checks: bool = True) -> set[str]:
    return {
        message.id
        for message in run_checks(include_deployment_checks=include_deployment_checks)
        if message.id
    }


def test_production_without_redis_gets_the_warning_from_manage_py():
    result = run_python("manage.py", "check", "--deploy", env=production_env())

    assert "aftersales.W001" in result.stderr + result.stdout
    assert "REDIS_URL" in result.stderr + result.stdout


def test_production_with_redis_gets_no_warning_from_manage_py():
    result = run_python(
        "manage.py",
        "check",
        "--deploy",
        env=production_env(REDIS_URL="redis://cache.internal:6379/0"),
    )

    assert "aftersales.W001" not in result.stderr + result.stdout


@pytest.mark.parametrize("caches", [LOCMEM, DUMMY], ids=["locmem", "dummy"])
def test_a_per_process_cache_in_production_is_warned_about(settings, caches):
    settings.DEBUG = False
    settings.CACHES = caches

    assert "aftersales.W001" in _ids()


def test_a_shared_cache_is_not_warned_about(settings):
    settings.DEBUG = False
    settings.CACHES = REDIS

    assert "aftersales.W001" not in _ids()


def test_development_is_not_warned_about(settings):
    settings.DEBUG = True
    settings.CACHES = LOCMEM

    assert "aftersales.W001" not in _ids()


def test_the_warning_is_a_deployment_check_only(settings):
    settings.DEBUG = False
    settings.CACHES = LOCMEM

    assert "aftersales.W001" not in _ids(include_deployment_checks=False)
