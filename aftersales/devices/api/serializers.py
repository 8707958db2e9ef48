"""Input serializers check the shape of what a partner sends (400 at the field); whether the model
exists and whether the serial number is free is the service's answer (422, 409). The formats here
are the ones the schema publishes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from aftersales.core.api import MomentField, PatternField
from aftersales.devices.models import Device, normalize_serial_number

# Clocks of the partner's systems and ours differ a little.
CLOCK_SKEW = timedelta(minutes=5)
# No unit of the catalogue was sold or activated before this: an earlier date is a typo (or an
# attack), never a back-filled order.
EARLIEST_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)

# A serial number as typed: 4 to 40 letters and digits, groups optionally separated by spaces or
# dashes (dropped when stored), 40 characters at most as sent.
SERIAL_NUMBER_MAX_LENGTH = 40
SERIAL_NUMBER_PATTERN = r"^[ -]*(?:[A-Za-z0-9][ -]*){4,40}$"
# Catalogue codes (models, offerings) are slugs.
CODE_PATTERN = r"^[-a-zA-Z0-9_]+$"
CODE_MAX_LENGTH = 40


class SerialNumberField(PatternField):
    """A serial number, normalised as everywhere else (no spaces or dashes, upper case)."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("max_length", SERIAL_NUMBER_MAX_LENGTH)
        super().__init__(
            pattern=SERIAL_NUMBER_PATTERN,
            format_message=_(
                "Enter the serial number: 4 to 40 letters and digits (spaces and dashes allowed "
                "between them)."
            ),
            **kwargs,  # type: ignore[arg-type]
        )

    def to_internal_value(self, data: object) -> str:
        return normalize_serial_number(super().to_internal_value(data))


class CodeField(PatternField):
    """The code of a catalogue entry (a model, an offering): a slug."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("max_length", CODE_MAX_LENGTH)
        super().__init__(
            pattern=CODE_PATTERN,
            format_message=_("Enter a code: letters, digits, dashes and underscores."),
            **kwargs,  # type: ignore[arg-type]
        )


@extend_schema_field(
    {
        "type": "string",
        "enum": sorted(code for code, _name in countries),
        "description": "ISO 3166-1 alpha-2, upper case, e.g. `FR`.",
    }
)
class CountryCodeField(serializers.ChoiceField):
    """A country as ISO 3166-1 alpha-2, upper case, exactly as the schema's enum lists them
    (django-countries' own field also takes `fr`, `FRA` or `250`, which the schema does not)."""

    def __init__(self, **kwargs: object) -> None:
        choices = [(code, code) for code, _name in countries]
        super().__init__(choices=choices, **kwargs)  # type: ignore[arg-type]


def plausible_moment(value: datetime | None) -> datetime | None:
    """Not in the future, not before the catalogue's first units (e.g. not year 292)."""
    if value is None:
        return value
    if value > timezone.now() + CLOCK_SKEW:
        raise serializers.ValidationError(_("This date is in the future."))
    if value < EARLIEST_MOMENT:
        raise serializers.ValidationError(_("Enter a date from the year 2000 onwards."))
    return value


class DeviceRegisterSerializer(serializers.Serializer):
    serial_number = SerialNumberField()
    model = CodeField(help_text="The model's code (`GET models`).")
    purchase_country = CountryCodeField()
    activated_at = MomentField(
        allow_null=True,
        required=False,
        default=None,
        validators=[plausible_moment],
        help_text="When the unit was first activated, if it was; from 2000 to now.",
    )


class DeviceSerializer(serializers.ModelSerializer):
    """A registered device, as its registration answers it (nothing of who registered it)."""

    model = serializers.SlugRelatedField(slug_field="code", read_only=True)
    purchase_country = serializers.CharField(read_only=True)
    activated_at = MomentField(read_only=True, allow_null=True)
    created_at = MomentField(read_only=True)

    class Meta:
        model = Device
        fields = ["serial_number", "model", "purchase_country", "activated_at", "created_at"]
        read_only_fields = fields
