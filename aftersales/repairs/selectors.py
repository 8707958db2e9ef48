"""Reads of repair requests. Every customer-facing read goes through these, filtered by the
user, so that another customer's draft, case or file is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .choices import RequestStatus
from .models import Attachment, RepairRequest


def requests_of(user: Any) -> QuerySet[RepairRequest]:
    return RepairRequest.objects.filter(user=user).select_related("product_model", "device", "zone")


def draft_of(user: Any, pk: int, *, for_update: bool = False) -> RepairRequest:
    queryset = RepairRequest.objects.filter(user=user, status=RequestStatus.DRAFT)
    if for_update:
        queryset = queryset.select_for_update()
    return get_object_or_404(queryset, pk=pk)


def case_of(user: Any, case_number: str) -> RepairRequest:
    queryset = requests_of(user).exclude(status=RequestStatus.DRAFT)
    return get_object_or_404(queryset, case_number=case_number.strip().upper())


def attachment_for(user: Any, token: str) -> Attachment:
    """Owner or staff only."""
    queryset = Attachment.objects.select_related("request")
    if not getattr(user, "is_staff", False):
        queryset = queryset.filter(request__user=user)
    return get_object_or_404(queryset, token=token)
