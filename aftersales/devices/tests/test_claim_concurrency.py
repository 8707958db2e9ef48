"""Two customers typing the same serial number at the same moment: exactly one gets it."""

import threading
import time

import pytest
from django.db import connection

from aftersales.accounts.tests.factories import UserFactory
from aftersales.devices.models import Device
from aftersales.devices.services import DeviceClaimError, device_claim

from .factories import DeviceFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs row locks (SELECT … FOR UPDATE) and real concurrent connections: "
        "SQLite's in-memory test database is shared by the threads without them",
    ),
]


def claim_at_once(users: list, serial: str) -> list[str]:
    """Each user claims the serial in a thread of its own, all released at the same instant."""
    start = threading.Barrier(len(users))
    outcomes: list[str] = []

    def claim(user) -> None:
        try:
            start.wait()
            device_claim(user=user, serial_number=serial)
            outcomes.append("ok")
        except DeviceClaimError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_simultaneous_claims_of_one_serial_number_give_it_to_exactly_one_account(
    monkeypatch,
):
    # Widen the window between reading the row and writing it: without the row lock both
    # claims would read "no owner" and both succeed.
    save = Device.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.2)
        save(self, *args, **kwargs)

    monkeypatch.setattr(Device, "save", slow_save)

    for round_ in range(3):
        serial = f"163CRACE{round_:06d}"
        device = DeviceFactory(serial_number=serial)
        users = [UserFactory(), UserFactory()]

        outcomes = claim_at_once(users, serial)

        assert sorted(outcomes) == ["ok", DeviceClaimError.OTHER_ACCOUNT]
        device.refresh_from_db()
        assert device.owner in users
