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


def test_an_empty_database_url_is_the_default_sqlite_database():
    """`DATABASE_URL=` left empty in an env file: the quick start's SQLite file, not a
    KeyError at start."""
    engine = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'])"
    )
    result = run_python("-c", engine, env=production_env(DATABASE_URL=" "))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "django.db.backends.sqlite3"
    assert result.stdout.split()[1].endswith("db.sqlite3")
