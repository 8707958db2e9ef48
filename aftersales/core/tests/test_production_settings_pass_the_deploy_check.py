from __future__ import annotations

from ._subprocess import production_env, run_python


def test_the_deploy_check_is_clean_with_production_settings():
    # A shared cache is part of production (aftersales.W001 otherwise); the check does not
    # connect to it.
    result = run_python(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(REDIS_URL="redis://cache.internal:6379/0"),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
