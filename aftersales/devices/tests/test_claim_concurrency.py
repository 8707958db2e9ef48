"""Two customers typing the same serial number at the same moment: exactly one gets it."""

import time

from aftersales.accounts.tests.factories import UserFactory
from aftersales.core.tests.race import POSTGRESQL_ONLY, race
from aftersales.devices.models import Device
from aftersales.devices.services import DeviceClaimError, device_claim

from .factories import DeviceFactory

pytestmark = POSTGRESQL_ONLY


def claim_at_once(users: list, serial: str) -> list[str]:
    """Each user claims the serial in a thread of its own, all released at the same instant."""

    def claim(user) -> str:
        device_claim(user=user, serial_number=serial)
        return "ok"

    outcome = race(*[lambda user=user: claim(user) for user in users], refusals=(DeviceClaimError,))
    return [str(result) for result in outcome.results] + [
        error.code
        for error in outcome.refusals  # type: ignore[attr-defined]
    ]


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
