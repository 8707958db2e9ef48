from __future__ import annotations

from ._subprocess import production_env, run_python

SETUP = "import django; django.setup(); print('started')"


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]

    result = run_python("-c", SETUP, env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set SECRET_KEY" in result.stderr


def test_an_empty_secret_key_is_refused_too():
    result = run_python("-c", SETUP, env=production_env(SECRET_KEY=""))

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_development_starts_without_a_secret_key():
    env = production_env(DEBUG="1")
    del env["SECRET_KEY"]

    result = run_python("-c", SETUP, env=env)

    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout
