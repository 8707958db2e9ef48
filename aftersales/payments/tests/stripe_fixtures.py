"""localstripe for the tests: one server per test session on 127.0.0.1 (a free port), run as a
subprocess (`localstripe_server.py`: localstripe with the Checkout Sessions it lacks); the
app's Stripe provider pointed at it; webhooks signed as Stripe signs them. Never the internet.

Import the fixtures into a test module with `from aftersales.payments.tests.stripe_fixtures
import *`."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = ["localstripe_url", "signed", "stripe_configured", "webhook_to", "webhooks_held"]

ROOT = Path(__file__).resolve().parents[3]
NOWHERE = "http://127.0.0.1:9/"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def localstripe_url() -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "aftersales.payments.tests.localstripe_server", "--port", str(port)],
        cwd=ROOT,
        # Under CI's faketime, the server keeps the tests' fake clock rather than starting its
        # own from the fixed time (the webhooks' signatures carry its time, checked to 5 min).
        env={**os.environ, "FAKETIME_DONT_RESET": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"localstripe did not start on {url}")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


def webhook_to(
    localstripe_url: str, url: str, secret: str, events: list[str] | None = None
) -> None:
    """Where localstripe sends its signed webhooks (its `/_config/webhooks` route)."""
    data = [("url", url), ("secret", secret)]
    data += [("events[]", event) for event in events or []]
    request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1 only)
        f"{localstripe_url}/_config/webhooks/aftersales",
        data=urllib.parse.urlencode(data).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (http://127.0.0.1)
        assert response.status == 200


def webhooks_held(localstripe_url: str, held: bool) -> None:
    """Keep localstripe's webhooks back, or send the ones kept, in order."""
    action = "hold" if held else "release"
    request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1 only)
        f"{localstripe_url}/_config/webhooks_{action}", data=b"", method="POST"
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (http://127.0.0.1)
        assert response.status == 200


@pytest.fixture
def stripe_configured(settings: Any, localstripe_url: str) -> Iterator[dict[str, str]]:
    """The Stripe provider offered (with bank transfer and the counter), its API at localstripe;
    localstripe's webhooks go nowhere until the test says where (`webhook_to`)."""
    stripe = {
        "SECRET_KEY": "sk_test_aftersales",
        "WEBHOOK_SECRET": f"whsec_{secrets.token_hex(16)}",
        "API_BASE": localstripe_url,
        "CHECKOUT_ORIGIN": localstripe_url,
    }
    settings.PAYMENTS = {
        "PROVIDERS": ["bank_transfer", "counter", "stripe"],
        "CENTRE_PROVIDERS": {},
        "STRIPE": stripe,
    }
    webhook_to(localstripe_url, NOWHERE, stripe["WEBHOOK_SECRET"], ["none"])
    webhooks_held(localstripe_url, False)
    yield stripe
    webhook_to(localstripe_url, NOWHERE, stripe["WEBHOOK_SECRET"], ["none"])
    webhooks_held(localstripe_url, False)


def signed(event: dict[str, Any], secret: str, timestamp: int | None = None) -> tuple[bytes, str]:
    """An event's body and its Stripe-Signature header, signed as Stripe (and localstripe) do:
    HMAC-SHA256 of "<timestamp>.<body>" with the webhook's secret."""
    body = json.dumps(event).encode()
    at = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), b"%d.%s" % (at, body), hashlib.sha256).hexdigest()
    return body, f"t={at},v1={signature}"
