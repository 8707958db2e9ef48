from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from aftersales.catalog.models import ProductModel
from aftersales.devices.models import Device, normalize_serial_number

# Clocks of the partner's systems and ours differ a little.
CLOCK_SKEW = timedelta(minutes=5)


class SerialNumberField(serializers.CharField):
    """A serial number, normalised as everywhere else (no spaces or dashes, upper case)."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def to_internal_value(self, data: object) -> str:
        value = normalize_serial_number(super().to_internal_value(data))
        if not value or not value.isalnum():
            raise serializers.ValidationError(
                _("Enter the serial number: letters and digits only.")
            )
        return value


def not_in_future(value: datetime | None) -> datetime | None:
    if value is not None and value > timezone.now() + CLOCK_SKEW:
        raise serializers.ValidationError(_("This date is in the future."))
    return value


class DeviceRegisterSerializer(serializers.Serializer):
    serial_number = SerialNumberField()
    model = serializers.SlugRelatedField(slug_field="code", queryset=ProductModel.objects.all())
    purchase_country = CountryField()
    activated_at = serializers.DateTimeField(
        allow_null=True, required=False, default=None, validators=[not_in_future]
    )


class DeviceSerializer(serializers.ModelSerializer):
    model = serializers.SlugRelatedField(slug_field="code", read_only=True)
    purchase_country = serializers.CharField(read_only=True)

    class Meta:
        model = Device
        fields = ["serial_number", "model", "purchase_country", "activated_at", "created_at"]
        read_only_fields = fields
