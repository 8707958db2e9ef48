from __future__ import annotations

from ._subprocess import production_env, run_python


def test_the_deploy_check_is_clean_with_production_settings():
    result = run_python(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=production_env()
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
