"""A draft untouched for 30 days is removed by a scheduled task (issue 4, item 2), with its
files; a submitted case never is."""

from __future__ import annotations

import io
import secrets
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from aftersales.repairs.choices import AttachmentKind
from aftersales.repairs.housekeeping import drafts_purge, purge_stale_drafts
from aftersales.repairs.models import Attachment, RepairRequest
from aftersales.repairs.tests.factories import RepairRequestFactory, SubmittedCaseFactory

NOW = timezone.make_aware(datetime(2026, 5, 4, 3, 17))


def last_saved(repair_request: RepairRequest, at: datetime) -> RepairRequest:
    # updated_at is auto_now: set it behind save()'s back.
    RepairRequest.objects.filter(pk=repair_request.pk).update(updated_at=at)
    return repair_request


def attach(repair_request: RepairRequest) -> Attachment:
    return Attachment.objects.create(
        request=repair_request,
        kind=AttachmentKind.INVOICE,
        token=secrets.token_hex(16),
        file=ContentFile(b"%PDF-1.4\n", name="upload.pdf"),
        extension=".pdf",
        original_name="invoice.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
    )


def exists(repair_request: RepairRequest) -> bool:
    return RepairRequest.objects.filter(pk=repair_request.pk).exists()


def test_a_draft_saved_29_days_23_hours_ago_is_kept_and_one_of_30_days_and_a_second_is_removed(
    customer,
):
    recent = last_saved(RepairRequestFactory(user=customer), NOW - timedelta(days=29, hours=23))
    exactly = last_saved(RepairRequestFactory(user=customer), NOW - timedelta(days=30))
    stale = last_saved(RepairRequestFactory(user=customer), NOW - timedelta(days=30, seconds=1))

    assert drafts_purge(now=NOW) == 1

    assert exists(recent)
    assert exists(exactly)
    assert not exists(stale)


def test_submitted_cases_are_never_removed_however_old(customer):
    case = last_saved(SubmittedCaseFactory(user=customer), NOW - timedelta(days=800))
    attachment = attach(case)

    assert drafts_purge(now=NOW) == 0

    assert exists(case)
    assert attachment.file.storage.exists(attachment.file.name)


def test_a_removed_draft_takes_its_attachments_and_their_files(
    customer, django_capture_on_commit_callbacks
):
    stale = RepairRequestFactory(user=customer)
    attachments = [attach(stale), attach(stale)]
    last_saved(stale, NOW - timedelta(days=45))
    kept = RepairRequestFactory(user=customer)
    kept_file = attach(kept)

    with django_capture_on_commit_callbacks(execute=True):
        drafts_purge(now=NOW)

    assert not Attachment.objects.filter(pk__in=[a.pk for a in attachments]).exists()
    for attachment in attachments:
        assert not attachment.file.storage.exists(attachment.file.name)
    assert kept_file.file.storage.exists(kept_file.file.name)


def test_files_are_deleted_only_once_the_removal_is_committed(customer):
    stale = RepairRequestFactory(user=customer)
    attachment = attach(stale)
    last_saved(stale, NOW - timedelta(days=45))

    # The test's transaction never commits: the rows could come back, so the files stay.
    drafts_purge(now=NOW)

    assert attachment.file.storage.exists(attachment.file.name)


def test_many_stale_drafts_are_removed_in_batches(customer, monkeypatch):
    monkeypatch.setattr("aftersales.repairs.housekeeping.PURGE_BATCH_SIZE", 2)
    drafts = [RepairRequestFactory(user=customer) for _ in range(5)]
    RepairRequest.objects.filter(pk__in=[d.pk for d in drafts]).update(
        updated_at=NOW - timedelta(days=31)
    )

    assert drafts_purge(now=NOW) == 5
    assert not RepairRequest.objects.exists()


def test_the_age_comes_from_the_configuration(customer, settings):
    settings.AFTERSALES = {**settings.AFTERSALES, "DRAFT_MAX_AGE_DAYS": 7}
    draft = last_saved(RepairRequestFactory(user=customer), NOW - timedelta(days=8))

    assert drafts_purge(now=NOW) == 1
    assert not exists(draft)


def test_the_task_purges_with_the_current_time(customer):
    stale = last_saved(RepairRequestFactory(user=customer), timezone.now() - timedelta(days=31))
    fresh = RepairRequestFactory(user=customer)

    result = purge_stale_drafts.enqueue()

    assert result.return_value == 1
    assert not exists(stale)
    assert exists(fresh)


def test_the_command_purges_and_says_how_many(customer):
    last_saved(RepairRequestFactory(user=customer), timezone.now() - timedelta(days=31))
    out = io.StringIO()

    call_command("purge_stale_drafts", stdout=out)

    assert out.getvalue().strip() == "1 draft(s) untouched for more than 30 days removed."
    assert not RepairRequest.objects.exists()


def test_the_command_help_gives_the_crontab_line():
    from aftersales.repairs.management.commands.purge_stale_drafts import Command

    assert "manage.py purge_stale_drafts" in Command.help
    assert "* * *" in Command.help


def test_the_command_is_silent_for_cron_with_verbosity_0(customer):
    stale = last_saved(RepairRequestFactory(user=customer), timezone.now() - timedelta(days=31))
    out = io.StringIO()

    call_command("purge_stale_drafts", stdout=out, verbosity=0)

    assert out.getvalue() == ""
    assert not exists(stale)
