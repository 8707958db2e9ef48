"""The forms of the workshop's actions on a case: thin, one per action, each field checked where
it is typed. Every form carries the status the worker's page showed (`expected_status`): the
service refuses when someone else moved the case meanwhile.

Several forms share the case page, so each form's ids start with its action (`receive-…`,
`hold-note`): stable ids for the keyboard, the labels and the browser tests. The names posted
are the fields' own (`expected_status`, `serial_number_read`…).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.catalog.models import Component, ProductModel
from aftersales.core.form_fields import ModelChoiceField, ModelMultipleChoiceField
from aftersales.devices.models import normalize_serial_number
from aftersales.repairs.attachments import MAX_ATTACHMENTS, MultipleAttachmentField
from aftersales.repairs.carriers import TrackingNumberInvalid, carrier_for
from aftersales.repairs.choices import (
    AttachmentKind,
    EvaluatedCause,
    HoldReason,
    InvestigationOutcome,
    Liability,
    ParcelDirection,
    PaymentMethod,
    QuoteLineKind,
    ReceivedContents,
    RequestStatus,
    UnexpectedItem,
)
from aftersales.repairs.models import Payment, RepairRequest

from . import services

SERIAL_RE = re.compile(r"^[A-Z0-9]{4,40}$")
TRACKING_RE = re.compile(r"^[A-Z0-9]{8,40}$")
HOURS_MAX = Decimal("999.99")


SERIAL_INVALID = _("A serial number has letters and digits only (4 to 40).")


def serial_clean(value: str) -> str:
    """A typed or scanned serial number as the registry stores it, checked once normalised
    (upper case can lengthen a text: "ß" becomes "SS")."""
    serial = normalize_serial_number(value)
    if serial and not SERIAL_RE.match(serial):
        raise forms.ValidationError(SERIAL_INVALID, code="serial")
    return serial


def _case_model(case: RepairRequest) -> ProductModel | None:
    if case.product_model is not None:
        return case.product_model
    return case.device.model if case.device is not None else None


DECIMAL_COMMA = re.compile(r"^\s*(\d+),(\d{1,2})\s*$")


class DecimalCommaField(forms.DecimalField):
    """A number typed with a decimal comma (« 1,5 », « 120,50 ») is read as such in any
    language: a comma before one or two last digits is never a thousands separator."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = DECIMAL_COMMA.sub(r"\1.\2", value)
        return super().to_python(value)


class HoursField(DecimalCommaField):
    """Hours with two decimals, typed as people type them (1.5, « 1,5 » in French)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", HOURS_MAX)
        kwargs.setdefault("localize", True)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 8}),
        )
        super().__init__(**kwargs)


class AmountField(DecimalCommaField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("localize", True)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 10}),
        )
        super().__init__(**kwargs)


def _note(label: Any, *, required: bool = False, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StatusField(forms.CharField):
    """The status the page showed (hidden): one of the statuses, or Django's own "not one of
    the available choices". Not a ChoiceField: every form made deep-copies its fields, and
    copying a ChoiceField copies its twenty translated labels — a third of the time a reception
    form took to be made, and the case page makes one form per action it offers."""

    widget = forms.HiddenInput
    # Django's own message and its translation, as a ChoiceField would give it.
    default_error_messages = {
        "invalid_choice": forms.ChoiceField.default_error_messages["invalid_choice"],
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strip=False, **kwargs)  # as a ChoiceField: the value exactly as sent

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value not in RequestStatus.values:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )


class ActionForm(forms.Form):
    """A form of an action on `case`, with the status the page showed."""

    # The field the keyboard starts in when this action is the one to do now.
    focus_field: str | None = None

    expected_status = StatusField()

    def __init__(self, *args: Any, case: RepairRequest, slug: str, **kwargs: Any) -> None:
        self.case = case
        kwargs.setdefault("auto_id", f"{slug}-%s")
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("expected_status", case.status)
        super().__init__(*args, **kwargs)

    @property
    def review_only(self) -> bool:
        """The worker asked to see the form again (totals, more lines), not to act."""
        return False

    def clean(self) -> dict[str, Any]:
        # The stub says "| None" because an override may return nothing; narrowed once here.
        cleaned = super().clean()
        assert cleaned is not None
        return cleaned

    def model_choice_field(self, name: str) -> forms.ModelChoiceField[Any]:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        return field

    def focus(self) -> forms.BoundField | None:
        """The field the keyboard starts in: the first one in error, else `focus_field`."""
        for name in self.errors:
            if name in self.fields and not self.fields[name].widget.is_hidden:
                return self[name]
        return self[self.focus_field] if self.focus_field in self.fields else None


class ConfirmForm(ActionForm):
    """An action with nothing to type: one button."""


class ReceptionForm(ActionForm):
    """Guide, step 7: what arrived against what the customer said they would send; the serial
    number read on the unit (a difference is flagged, not refused); photos and a note."""

    focus_field = "serial_number_read"

    serial_number_read = forms.CharField(
        label=_("Serial number read on the unit"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    contents = forms.ChoiceField(
        label=_("What arrived"), choices=ReceivedContents.choices, widget=forms.RadioSelect
    )
    unexpected_items = forms.MultipleChoiceField(
        label=_("In the parcel although the guide asks not to send it"),
        choices=UnexpectedItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    battery_included = forms.TypedChoiceField(
        label=_("Express: did the battery come back with the unit?"),
        choices=[("yes", _("Yes")), ("no", _("No: flag the case"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    photos = MultipleAttachmentField(
        kind=AttachmentKind.PARCEL_PHOTO,
        label=_("Photos of the parcel and the unit"),
        required=False,
    )
    note = _note(_("Note (staff only)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.case
        expected = case.serial_number or (case.device.serial_number if case.device else "")
        self.fields["serial_number_read"].help_text = (
            _(
                "Scan or type it. The case says %(serial)s; a different number is recorded and "
                "flagged."
            )
            % {"serial": expected}
            if expected
            else _("Scan or type it. The customer gave no serial number.")
        )
        if case.shipment in ReceivedContents.values:
            self.fields["contents"].initial = case.shipment
        self.fields["contents"].help_text = _("The customer said they would send: %(said)s.") % {
            "said": case.get_shipment_display() or "—"
        }

        if self.case.status == RequestStatus.EXPRESS_SHIPPED:
            # Express: the damaged unit comes back with its battery (seed 001).
            owed = getattr(self.case, "express_return", None)
            if owed is not None:
                self.fields["serial_number_read"].help_text = _(
                    "Scan or type it. The damaged unit owed back is %(serial)s; another number "
                    "flags the case for an agent."
                ) % {"serial": owed.serial_number}
        else:
            del self.fields["battery_included"]

    def clean_serial_number_read(self) -> str:
        return serial_clean(self.cleaned_data["serial_number_read"])

    def clean_photos(self) -> list[Any]:
        photos = self.cleaned_data.get("photos") or []
        limit = MAX_ATTACHMENTS[AttachmentKind.PARCEL_PHOTO]
        if len(photos) > limit:
            raise forms.ValidationError(
                _("Choose at most %(limit)s photos."), code="too_many", params={"limit": limit}
            )
        return list(photos)


class EvaluationForm(ActionForm):
    """The technician's findings. FAQ 3: an Express case's liability is not assessed."""

    focus_field = "findings"

    findings = forms.CharField(
        label=_("Findings"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    damaged_components = ModelMultipleChoiceField(
        label=_("Components actually damaged"),
        queryset=Component.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cause = forms.ChoiceField(
        label=_("Cause found"), choices=EvaluatedCause.choices, widget=forms.RadioSelect
    )
    liability = forms.ChoiceField(
        label=_("Liability"),
        choices=[(value, label) for value, label in Liability.choices if value != "not_assessed"],
        widget=forms.RadioSelect,
    )
    labour_hours = HoursField(
        label=_("Estimated labour (hours)"), help_text=_("The repair's labour, quoted.")
    )
    evaluation_hours = HoursField(
        label=_("Evaluation time (hours)"),
        initial=Decimal("1"),
        help_text=_("What a refused quote costs the customer, at the evaluation fee per hour."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = _case_model(self.case)
        queryset = (
            Component.objects.filter(product_models=model)
            if model is not None
            else Component.objects.none()
        )
        self.model_choice_field("damaged_components").queryset = queryset.order_by(
            "position", "code"
        )
        if self.case.express_requested:
            del self.fields["liability"]

    @property
    def express(self) -> bool:
        return self.case.express_requested


class QuoteLineForm(forms.Form):
    # A blank first choice: a blank row left as it is posts nothing and is ignored.
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *QuoteLineKind.choices])
    component = ModelChoiceField(
        label=_("Part"), queryset=Component.objects.none(), required=False, empty_label="—"
    )
    description = forms.CharField(label=_("Description"), max_length=200)
    # As QuoteLine.quantity holds it (7 digits, 2 decimal places).
    quantity = AmountField(label=_("Quantity"), min_value=Decimal("0.01"), max_digits=7)
    unit_price = AmountField(label=_("Unit price"))

    def __init__(self, *args: Any, components: QuerySet[Component], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["component"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = components


class BaseQuoteLineFormSet(forms.BaseFormSet[QuoteLineForm]):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not self.lines():
            raise forms.ValidationError(_("A quote needs at least one line."), code="empty")

    def lines(self) -> list[services.QuoteLineInput]:
        lines = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("description"):
                continue
            lines.append(
                services.QuoteLineInput(
                    kind=data["kind"],
                    description=data["description"],
                    quantity=data["quantity"],
                    unit_price=data["unit_price"],
                    component=data.get("component"),
                )
            )
        return lines


QUOTE_EXTRA_LINES = 2
QUOTE_MAX_LINES = 40
QuoteLineFormSet = forms.formset_factory(
    QuoteLineForm,
    formset=BaseQuoteLineFormSet,
    extra=QUOTE_EXTRA_LINES,
    can_delete=True,
    max_num=QUOTE_MAX_LINES,
    validate_max=True,
)


class QuoteForm(ActionForm):
    """The quote builder: lines (prefilled from the evaluation, or the current quote when it is
    revised), a message. Without JavaScript: blank rows to fill, a box to remove a line, a
    button for more rows, and the totals and the customer's options shown before sending."""

    focus_field = "message"

    message = forms.CharField(
        label=_("Message to the customer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        case: RepairRequest,
        slug: str,
        lines: list[services.QuoteLineInput] | None = None,
        **kwargs: Any,
    ) -> None:
        if data is not None and "more_lines" in data:
            data = data.copy()
            total = str(data.get("lines-TOTAL_FORMS", ""))
            if total.isdigit():
                data["lines-TOTAL_FORMS"] = str(min(int(total) + 3, QUOTE_MAX_LINES))
        super().__init__(data, files, case=case, slug=slug, **kwargs)
        model = _case_model(case)
        components = (
            Component.objects.filter(product_models=model).order_by("position", "code")
            if model is not None
            else Component.objects.none()
        )
        initial = [
            {
                "kind": line.kind,
                "component": line.component,
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
            }
            for line in lines or []
        ]
        # Sent back, the rows are what was posted: a blank row compares with nothing (had it
        # the suggested line as its initial value, leaving it blank would count as a change).
        self.lines = QuoteLineFormSet(
            data,
            prefix="lines",
            initial=initial if data is None else None,
            form_kwargs={"components": components, "auto_id": "quote-%s"},
        )

    @property
    def review_only(self) -> bool:
        return self.data is not None and ("preview" in self.data or "more_lines" in self.data)

    def is_valid(self) -> bool:
        return super().is_valid() and self.lines.is_valid()

    def quote_lines(self) -> list[services.QuoteLineInput]:
        assert isinstance(self.lines, BaseQuoteLineFormSet)
        return self.lines.lines()

    def focus(self) -> forms.BoundField | None:
        # The first line's price: a part's line comes with its price still to fill in.
        for form in self.lines.forms:
            for name in form.errors:
                if name in form.fields:
                    return form[name]
        if self.lines.forms and not self.errors:
            return self.lines.forms[0]["unit_price"]
        return super().focus()


class PaymentForm(ActionForm):
    """An agent records what the customer paid: the amount due (prefilled), how, a reference."""

    focus_field = "reference"

    amount = AmountField(label=_("Amount received"))
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("The bank transfer's or the card receipt's reference."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, payment: Payment, **kwargs: Any) -> None:
        self.payment = payment
        super().__init__(*args, **kwargs)
        self.fields["amount"].initial = payment.amount
        self.fields["amount"].help_text = _("Due: %(amount)s %(currency)s (%(purpose)s).") % {
            "amount": payment.amount,
            "currency": payment.currency,
            "purpose": payment.get_purpose_display(),
        }

    def clean_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount"]
        if amount != self.payment.amount:
            raise forms.ValidationError(
                _("The amount due is %(amount)s %(currency)s."),
                code="amount",
                params={"amount": self.payment.amount, "currency": self.payment.currency},
            )
        return amount


class PartForm(ActionForm):
    """A part used by the repair, from the model's catalogue."""

    focus_field = "component"

    component = ModelChoiceField(label=_("Part"), queryset=Component.objects.none())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=99, initial=1)
    serial_number = forms.CharField(
        label=_("Serial number of the new part"),
        max_length=40,
        required=False,
        help_text=_("For parts that carry one (a gimbal)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = _case_model(self.case)
        self.model_choice_field("component").queryset = (
            Component.objects.filter(product_models=model).order_by("position", "code")
            if model is not None
            else Component.objects.none()
        )

    def clean_serial_number(self) -> str:
        return serial_clean(self.cleaned_data["serial_number"])


class ReplaceUnitForm(ActionForm):
    """FAQ 3, 10: the new unit, scanned or typed: a registered unit of the same model, in no
    customer's account. Refused at the field, with what was typed kept."""

    focus_field = "new_serial_number"

    new_serial_number = forms.CharField(
        label=_("Serial number of the new unit"),
        max_length=40,
        help_text=_("Scan or type it: a unit of the same model from the stock."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    note = forms.CharField(label=_("Note (staff only)"), max_length=200, required=False)

    def clean_new_serial_number(self) -> str:
        serial = serial_clean(self.cleaned_data["new_serial_number"])
        refusal = services.replacement_unit_check(self.case, serial)
        if refusal is not None:
            raise forms.ValidationError(refusal, code="unit")
        return serial


class ReplaceComponentForm(ActionForm):
    """FAQ 4, 5, 7: a covered part replaced under the plan; a serial-numbered part (a gimbal)
    needs its new serial number and the model it is made for."""

    focus_field = "component"

    component = ModelChoiceField(label=_("Part replaced"), queryset=Component.objects.none())
    new_serial_number = forms.CharField(
        label=_("Serial number of the new part"),
        max_length=40,
        required=False,
        help_text=_("For parts that carry one (a Mavic 2's gimbal): the plan follows it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    part_model = ModelChoiceField(
        label=_("Model the new part is made for"),
        queryset=ProductModel.objects.none(),
        required=False,
        help_text=_("As read on the part: a gimbal is replaced only by one of the same model."),
    )
    note = forms.CharField(label=_("Note (staff only)"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = self.case.plan
        self.model_choice_field("component").queryset = (
            plan.offering.components.order_by("position", "code")
            if plan is not None
            else Component.objects.none()
        )
        self.model_choice_field("part_model").queryset = ProductModel.objects.order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        component = data.get("component")
        if component is not None and component.has_serial_number:
            if not data.get("new_serial_number") and "new_serial_number" not in self.errors:
                self.add_error(
                    "new_serial_number",
                    forms.ValidationError(
                        _("Enter the serial number of the new part: the plan follows it."),
                        code="required",
                    ),
                )
            if data.get("part_model") is None and "part_model" not in self.errors:
                self.add_error(
                    "part_model",
                    forms.ValidationError(
                        _("Choose the model the new part is made for."), code="required"
                    ),
                )
        return data

    def clean_new_serial_number(self) -> str:
        return serial_clean(self.cleaned_data["new_serial_number"])


class QualityCheckForm(ActionForm):
    focus_field = "note"

    result = forms.ChoiceField(
        label=_("Result"),
        choices=[
            ("passed", _("Passed: ready to ship")),
            ("failed", _("Failed: back to the repair")),
        ],
        widget=forms.RadioSelect,
    )
    note = _note(_("Note (staff only)"), help_text=_("Required when the check fails."))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("result") == "failed" and not (data.get("note") or "").strip():
            self.add_error(
                "note",
                forms.ValidationError(_("Say what failed."), code="required"),
            )
        return data


class ShipForm(ActionForm):
    """Shipping back through the centre's carrier: the tracking number of a label printed
    elsewhere, or nothing for the carrier to issue the next one (its label is then printed from
    the case page). The format and check digit are the carrier's (`repairs.carriers`), checked
    here at the field and again by the service."""

    focus_field = "tracking_number"

    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=60,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.carrier = carrier_for(self.case.repair_centre)
        field = self.fields["tracking_number"]
        if self.carrier.issues_numbers:
            field.help_text = _(
                "Leave it empty to print the %(carrier)s label with the next tracking number; "
                "or scan the number of a label printed elsewhere."
            ) % {"carrier": self.carrier.name}
        else:
            field.required = True
            field.help_text = _("As on the %(carrier)s label (e.g. 1Z999AA10123456784).") % {
                "carrier": self.carrier.name
            }

    def clean_tracking_number(self) -> str:
        typed = self.cleaned_data["tracking_number"]
        if not typed.strip():
            return ""
        try:
            return self.carrier.tracking_number_clean(typed)
        except TrackingNumberInvalid as refusal:
            raise forms.ValidationError(refusal.message, code="tracking") from refusal


class ExpressShipForm(ReplaceUnitForm, ShipForm):
    """Seed 001, Express: the replacement unit from the stock (checked as a plan replacement's)
    and its parcel's tracking number, before the damaged unit arrives."""

    focus_field = "new_serial_number"


class ExpressChargeForm(ActionForm):
    """The difference an agent charges for a flagged Express case: the configured amount for
    its reasons, changed when the price list says otherwise."""

    focus_field = "amount"

    amount = AmountField(label=_("Amount to charge"))
    note = _note(_("Note (staff only)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from aftersales.repairs import express

        owed = getattr(self.case, "express_return", None)
        flags = owed.flags if owed is not None else []
        self.fields["amount"].initial = express.charge_default(flags)
        self.fields["amount"].help_text = _("In %(currency)s; by default the price list's.") % {
            "currency": express.charge_currency()
        }

    def clean_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError(_("Enter the amount to charge."), code="min_value")
        return amount


class ExpressClearForm(ActionForm):
    focus_field = "note"

    note = _note(_("Why (staff only)"), required=True)


class InvestigationOpenForm(ActionForm):
    """Guide: « En cas de perte du colis… »: the parcel the carrier is asked to find."""

    focus_field = "carrier_reference"

    direction = forms.ChoiceField(
        label=_("Which parcel"), choices=ParcelDirection.choices, widget=forms.RadioSelect
    )
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=60,
        required=False,
        help_text=_("Empty: the tracking number of that parcel's label or shipment."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    carrier_reference = forms.CharField(
        label=_("Carrier's reference of the investigation"), max_length=60, required=False
    )
    note = _note(_("Note (staff only)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        shipped = hasattr(self.case, "return_shipment")
        self.fields["direction"].initial = (
            ParcelDirection.OUTBOUND if shipped else ParcelDirection.INBOUND
        )

    def clean_tracking_number(self) -> str:
        typed = self.cleaned_data["tracking_number"]
        if not typed.strip():
            return ""
        try:
            return carrier_for(self.case.repair_centre).tracking_number_clean(typed)
        except TrackingNumberInvalid as refusal:
            raise forms.ValidationError(refusal.message, code="tracking") from refusal


class InvestigationCloseForm(ActionForm):
    focus_field = "outcome"

    investigation = forms.TypedChoiceField(label=_("Investigation"), coerce=int)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=InvestigationOutcome.choices, widget=forms.RadioSelect
    )
    note = _note(_("Note (staff only)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["investigation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (item.pk, f"{item.get_direction_display()} · {item.tracking_number}")
            for item in self.case.investigations.all()
            if item.is_open
        ]


class HoldForm(ActionForm):
    focus_field = "note"

    reason = forms.ChoiceField(
        label=_("Why"),
        choices=HoldReason.choices,
        widget=forms.RadioSelect,
        initial=HoldReason.WAITING_FOR_PARTS,
    )
    note = _note(_("Note (staff only)"))


class ResumeForm(ActionForm):
    focus_field = "note"

    note = _note(_("Note (staff only)"))


class CancelForm(ActionForm):
    focus_field = "note"

    note = _note(
        _("Why (the customer reads it)"),
        required=True,
        help_text=_(
            "Before the parcel arrives the case is cancelled; afterwards the unit is sent back "
            "unrepaired."
        ),
    )


class NoteForm(ActionForm):
    focus_field = "text"

    text = _note(pgettext_lazy("a note on a case", "Note"), required=True)
    public = forms.BooleanField(
        label=_("The customer reads this note (and gets an e-mail)"), required=False
    )
