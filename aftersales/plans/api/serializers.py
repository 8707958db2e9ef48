"""Input serializers validate shapes (400 field errors); the plan rules are the services' work
(422). Output is written with plain serializers so that the docs show every field."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from aftersales.core.api import MomentField, PatternField
from aftersales.devices.api.serializers import (
    CodeField,
    CountryCodeField,
    SerialNumberField,
    plausible_moment,
)
from aftersales.plans.choices import BindingChannel, PlanStatus
from aftersales.plans.models import Offering

# An activation code as printed, `XXXX-XXXX-XXXX-XXXX`: 16 characters of the codes' alphabet
# (plans.codes: no 0/O, 1/I/L), either case, spaces or dashes optional. Whether it was issued
# (and its check character) is the service's answer: 422 `code_invalid`.
ACTIVATION_CODE_PATTERN = r"^[ -]*(?:[2-9A-HJKMNP-Za-hjkmnp-z][ -]*){16}$"

# --- Offerings ---------------------------------------------------------------------------------


class FeeSerializer(serializers.Serializer):
    region = serializers.CharField(source="region.code")
    replacement_number = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    currency = serializers.CharField()


class ExpressFeeSerializer(serializers.Serializer):
    region = serializers.CharField(source="region.code")
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    currency = serializers.CharField()


class ExpressSerializer(serializers.Serializer):
    offered = serializers.BooleanField(source="express_offered")
    fees = ExpressFeeSerializer(source="express_fees.all", many=True)


class OfferingSerializer(serializers.ModelSerializer):
    """Needs `product_models`, `regions`, `fees__region` and `express_fees__region` prefetched."""

    name = serializers.CharField()
    models = serializers.SlugRelatedField(
        source="product_models", slug_field="code", many=True, read_only=True
    )
    countries = serializers.SerializerMethodField()
    fees = FeeSerializer(many=True)
    express = ExpressSerializer(source="*")

    class Meta:
        model = Offering
        fields = [
            "code",
            "name",
            "models",
            "countries",
            "duration_months",
            "replacements_allowed",
            "fees",
            "express",
        ]
        read_only_fields = fields

    def get_countries(self, offering: Offering) -> list[str]:
        """Every country of the regions where the offering is sold (FAQ 15)."""
        return sorted({code for region in offering.regions.all() for code in region.country_codes})


# --- Plans -------------------------------------------------------------------------------------


class MoneySerializer(serializers.Serializer):
    amount = serializers.CharField(help_text="A decimal number as a string, e.g. `109.00`.")
    currency = serializers.CharField(help_text="ISO 4217, e.g. `EUR`.")


class PlanSerializer(serializers.Serializer):
    """A plan as bound. Expects `offering`, `device` and `region` loaded. Nothing of who sold
    the plan or registered the device: the plan is named by its random reference only."""

    reference = serializers.UUIDField(
        help_text="How the API names the plan (random; the only plan identifier it shows)."
    )
    offering = serializers.CharField(source="offering.code")
    serial_number = serializers.CharField(
        source="device.serial_number", help_text="The unit the plan covers now."
    )
    original_serial_number = serializers.CharField()
    region = serializers.CharField(source="region.code")
    purchase_country = serializers.CharField()
    purchased_at = MomentField()
    channel = serializers.ChoiceField(choices=BindingChannel.choices)
    status = serializers.ChoiceField(choices=PlanStatus.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(help_text="The plan's last day, included.")
    replacements_allowed = serializers.IntegerField()
    replacements_used = serializers.IntegerField()
    replacements_left = serializers.IntegerField()
    next_fee = MoneySerializer(allow_null=True, help_text="The fee of the next replacement.")


class PlanCreateSerializer(serializers.Serializer):
    serial_number = SerialNumberField()
    offering = CodeField(help_text="The offering's code (`GET offerings`).")
    purchase_country = CountryCodeField()
    purchased_at = MomentField(
        required=False,
        allow_null=True,
        default=None,
        validators=[plausible_moment],
        help_text="When the customer bought the plan; now when left out. May be in the past "
        "for back-filled orders (from 2000 to now).",
    )
    channel = serializers.ChoiceField(
        choices=[
            (BindingChannel.STORE_SEPARATE.value, BindingChannel.STORE_SEPARATE.label),
            (BindingChannel.STORE_WITH_DEVICE.value, BindingChannel.STORE_WITH_DEVICE.label),
        ],
        default=BindingChannel.STORE_SEPARATE.value,
        help_text="Bought separately (the default) or with the device.",
    )


class PlanActivateSerializer(serializers.Serializer):
    activation_code = PatternField(
        pattern=ACTIVATION_CODE_PATTERN,
        max_length=40,
        format_message=_(
            "Enter the activation code as printed: 16 letters and digits, e.g. ABCD-EFGH-JKMN-PQRS."
        ),
        help_text="As printed, `XXXX-XXXX-XXXX-XXXX`; dashes and spaces optional.",
    )
    serial_number = SerialNumberField()


# --- Coverage ----------------------------------------------------------------------------------
# Documentation only: the coverage view writes its dict by hand, for speed.


class WarrantySerializer(serializers.Serializer):
    active = serializers.BooleanField()
    ends_on = serializers.DateField(
        allow_null=True, help_text="Null while the device is not activated."
    )


class CoveragePlanSerializer(serializers.Serializer):
    reference = serializers.UUIDField(help_text="The plan's reference (random).")
    offering = serializers.CharField()
    status = serializers.ChoiceField(choices=PlanStatus.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    replacements_allowed = serializers.IntegerField()
    replacements_used = serializers.IntegerField()
    replacements_left = serializers.IntegerField()
    next_fee = MoneySerializer(allow_null=True)
    covered_components = serializers.ListField(
        child=serializers.CharField(), help_text="Component codes."
    )


class CoverageSerializer(serializers.Serializer):
    serial_number = serializers.CharField()
    model = serializers.CharField(help_text="The model's code.")
    warranty = WarrantySerializer()
    plan = CoveragePlanSerializer(allow_null=True)


# --- Replacements (the endpoint is the repairs app's: repairs/api/) ----------------------------


class ReplacementSerializer(serializers.Serializer):
    """A replacement granted, as the plan's ledger records it."""

    plan = serializers.UUIDField(source="plan.reference", help_text="The plan's reference.")
    kind = serializers.CharField()
    occurred_at = MomentField()
    replacement_number = serializers.IntegerField()
    fee = MoneySerializer()
    old_serial_number = serializers.CharField()
    new_serial_number = serializers.CharField()
    case_number = serializers.CharField()
    reason = serializers.CharField(source="note")
