# Placeholder: upload checks and storage of attachments (invoices, flight logs).
from __future__ import annotations

from typing import Any

from django import forms

from .models import Attachment, RepairRequest


class AttachmentField(forms.FileField):
    """A file field that checks size and type from the content (to be written)."""


def attachment_add(*, repair_request: RepairRequest, kind: str, uploaded_file: Any) -> Attachment:
    raise NotImplementedError


def attachment_remove(*, attachment: Attachment) -> None:
    attachment.file.delete(save=False)
    attachment.delete()
