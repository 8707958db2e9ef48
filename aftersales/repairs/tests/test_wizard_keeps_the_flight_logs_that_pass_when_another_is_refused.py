"""Nothing typed is lost: on the flight data analysis step, several logs are chosen at once; when
one of them is refused, the others are stored and listed, every answer of the step is saved,
and the refused file is named at the field with the reason — only it has to be chosen again."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.repairs.choices import AttachmentKind, Problem
from aftersales.repairs.models import RepairRequest

from . import sample_files
from .wizard_cast import *  # noqa: F403
from .wizard_cast import ANALYSIS_ANSWERS, answer_every_step, post_step, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def draft(customer, mine, paris, europe):
    return answer_every_step(
        RepairRequest.objects.create(user=customer),
        device=mine,
        address=paris,
        problems=[Problem.ACCIDENT_DAMAGE.value],
    )


def test_the_good_logs_are_kept_and_the_bad_one_is_named_at_the_field(customer_client, draft):
    files = [
        SimpleUploadedFile("log_1.ulg", sample_files.ulog()),
        SimpleUploadedFile("DJIFlightRecord.txt", b"MZ\x90\x00" + b"\x00" * 300),
        SimpleUploadedFile("00000042.BIN", sample_files.dataflash()),
    ]

    response = post_step(
        customer_client, draft, "analysis", {**ANALYSIS_ANSWERS, "flight_logs": files}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "“DJIFlightRecord.txt” is not a flight log in a format we accept: PX4 .ulg, ArduPilot "
        ".bin, MAVLink .tlog, DJI .txt or .DAT, Airdata .csv."
    ) in page
    logs = draft.attachments.filter(kind=AttachmentKind.FLIGHT_LOG).order_by("original_name")
    assert [log.original_name for log in logs] == ["00000042.BIN", "log_1.ulg"]
    assert [log.extension for log in logs] == [".bin", ".ulg"]
    # Listed on the page, with their remove buttons, and every answer saved.
    for log in logs:
        assert f'name="remove_attachment" value="{log.token}"' in page
    draft.refresh_from_db()
    assert draft.data_analysis_requested
    assert draft.flight_account_email == "alice@example.com"
    assert draft.video_url == "https://drive.example.com/crash.mp4"


def test_the_field_says_which_formats_it_takes(customer_client, draft):
    page = customer_client.get(step_url(draft, "analysis")).content.decode()

    assert 'accept=".bin,.csv,.dat,.tlog,.txt,.ulg"' in page
    assert "PX4 .ulg, ArduPilot .bin, MAVLink .tlog, DJI flight record .txt or .DAT" in page


def test_when_every_log_passes_the_step_moves_on(customer_client, draft):
    files = [
        SimpleUploadedFile("flight.tlog", sample_files.tlog()),
        SimpleUploadedFile("airdata.csv", sample_files.airdata_csv()),
    ]

    response = post_step(
        customer_client, draft, "analysis", {**ANALYSIS_ANSWERS, "flight_logs": files}
    )

    assert response.status_code == 302
    assert response["Location"] != step_url(draft, "analysis")
    assert draft.attachments.filter(kind=AttachmentKind.FLIGHT_LOG).count() == 2
