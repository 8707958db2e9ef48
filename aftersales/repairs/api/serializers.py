"""The repair centre's endpoint: a replacement under a plan, for a case."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from aftersales.core.api import PatternField
from aftersales.devices.api.serializers import SerialNumberField
from aftersales.repairs.case_numbers import CASE_NUMBER_PATTERN


class ReplacementGrantSerializer(serializers.Serializer):
    new_serial_number = SerialNumberField(
        help_text="A registered unit of the same model, from the centre's stock, with no plan."
    )
    reason = PatternField(
        pattern=r"\S",
        max_length=1000,
        trim_whitespace=True,
        format_message=_("Say why the unit is replaced."),
        help_text="Kept in the plan's ledger.",
    )
    # As printed on the case form: `CAS-` + 7 digits + `-` + 6 characters.
    case_number = PatternField(
        pattern=CASE_NUMBER_PATTERN,
        max_length=20,
        format_message=_("Enter the case number as printed, e.g. CAS-1234567-ABC123."),
        help_text="The submitted repair case about the unit the plan covers now.",
    )
