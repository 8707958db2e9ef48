"""Run manage.py or Python with the real settings in a clean environment, as production would."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def production_env(**overrides: str) -> dict[str, str]:
    # Not os.environ: the test settings have put test-only values there (SECURE_*, SECRET_KEY).
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(BASE_DIR)),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "aftersales.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "aftersales.example.com",
    }
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run_python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def database_url(settings_dict: dict[str, object]) -> str:
    """The DATABASE_URL of a PostgreSQL database Django is connected to (e.g. the test one), for
    a process that must work on the same data."""
    from urllib.parse import quote

    user = quote(str(settings_dict.get("USER") or ""))
    password = quote(str(settings_dict.get("PASSWORD") or ""))
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"
