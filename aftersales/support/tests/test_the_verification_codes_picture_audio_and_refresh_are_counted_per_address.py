"""The contact form's verification code is served for anyone, logged in or not: its audio runs
`flite` in a new process, a new code writes a row. Each is counted per address (audit: a script
asking in a loop cost the server a process or a row each time); past the limit, 429 with
Retry-After, and another address is not affected."""

from __future__ import annotations

import re

import pytest
from captcha.models import CaptchaStore
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.CAPTCHA_LIMITS_PER_HOUR = {"image": 3, "audio": 2, "refresh": 2}
    return settings.CAPTCHA_LIMITS_PER_HOUR


def image_url(client) -> str:
    page = client.get(reverse("support:contact")).content.decode()
    found = re.search(r'src="(/captcha/image/[0-9a-f]+/)"', page)
    assert found is not None
    return found.group(1)


def test_the_picture_is_served_until_the_limit_then_429(client, limits):
    url = image_url(client)
    for _ in range(limits["image"]):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
    refused = client.get(url)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    # Another address still gets it.
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_new_codes_stop_at_the_limit_and_write_no_more_rows(client, limits):
    url = reverse("captcha-refresh")
    for _ in range(limits["refresh"]):
        assert client.get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest").status_code == 200
    rows = CaptchaStore.objects.count()
    assert client.get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest").status_code == 429
    assert CaptchaStore.objects.count() == rows


def test_the_audio_stops_at_its_limit_before_any_process_runs(client, limits, monkeypatch):
    import subprocess

    runs: list[object] = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: runs.append(a))
    key = CaptchaStore.generate_key()
    url = reverse("captcha-audio", args=[key])
    for _ in range(limits["audio"]):
        client.get(url)
    counted = len(runs)
    assert client.get(url).status_code == 429
    assert len(runs) == counted
