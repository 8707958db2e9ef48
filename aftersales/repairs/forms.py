"""The forms of the guided repair request, one per step (the registry is steps.py).

Each form reads its initial values from the draft (`initial_for`) and leaves in `cleaned_data`
the draft's own field names for what it decided; `services.repair_request_save_step` writes
those. Rules that belong to one step are checked here, at the field they concern.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _
from django_countries import countries as all_countries

from aftersales.accounts.models import Address
from aftersales.accounts.selectors import address_list
from aftersales.catalog.models import Component, ProductModel, ServiceZone
from aftersales.catalog.selectors import zone_for_country
from aftersales.core.form_fields import ModelChoiceField
from aftersales.core.i18n import branded
from aftersales.core.ratelimit import FailureLimit
from aftersales.devices.models import Device, normalize_serial_number
from aftersales.devices.selectors import devices_of
from aftersales.plans.selectors import plan_for_owner

from .attachments import AttachmentField, KeepAcceptedFilesMixin, MultipleAttachmentField
from .choices import (
    HARDWARE_PROBLEMS,
    SOFTWARE_PROBLEMS,
    AbnormalCondition,
    AccidentCause,
    AttachmentKind,
    FlightEnvironment,
    Problem,
    PurchaseChannel,
    QuoteOption,
    ServiceType,
    Shipment,
)
from .models import RepairRequest

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .steps import Step

# Serial numbers not found in the registry, per account: enough for typos, too few to walk the
# registry and learn which serial numbers exist and what they are.
SERIAL_LOOKUP_LIMIT = FailureLimit(scope="repairs-serial", limit=20, window=60 * 60)

UNKNOWN_SERIAL = _(
    "We don't know this serial number. Check it (see where to find it below), or choose your "
    "product by its model."
)
TOO_MANY_SERIALS = _(
    "Too many serial numbers were not recognised. Please wait an hour, or choose your product "
    "by its model."
)

TOO_MANY_SERIALS_BY_MODEL = _(
    "Too many serial numbers were not recognised. Please wait an hour, or leave the serial "
    "number empty."
)


def serial_lookup(*, user: Any, serial_number: str) -> tuple[Device | None, str]:
    """The registered unit with this serial number, or None and the message to show. Counts
    the misses against the account (see SERIAL_LOOKUP_LIMIT)."""
    if SERIAL_LOOKUP_LIMIT.is_reached(user.pk):
        return None, str(TOO_MANY_SERIALS)
    serial_number = normalize_serial_number(serial_number)
    device = None
    if serial_number.isalnum():
        device = Device.objects.select_related("model").filter(serial_number=serial_number).first()
    if device is None:
        SERIAL_LOOKUP_LIMIT.record_failure(user.pk)
        return None, str(UNKNOWN_SERIAL)
    return device, ""


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _not_in_future(day: Any) -> None:
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future."), code="future")


class DeviceChoiceField(ModelChoiceField):
    """One of My products, shown as its model and serial number."""

    def label_from_instance(self, obj: Device) -> str:
        return f"{obj.model.display_name} · {obj.serial_number}"


class ProductModelChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: ProductModel) -> str:
        return obj.display_name


class StepForm(forms.Form):
    """A step's form: knows its draft and its customer."""

    # The draft's fields the step writes; by default the form's fields of the same names.
    model_fields: tuple[str, ...] = ()
    # The step shown, set by the view (repairs.views.wizard) after making the form.
    step: Step

    def __init__(self, *args: Any, repair_request: RepairRequest, user: Any, **kwargs: Any):
        self.repair_request = repair_request
        self.user = user
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_for(cls, repair_request: RepairRequest, user: Any) -> dict[str, Any]:
        return {name: getattr(repair_request, name) for name in cls.model_fields}

    def clean(self) -> dict[str, Any]:
        # forms.Form.clean() returns cleaned_data; its stub says "| None" because an override
        # may return nothing. Narrowed once here for the steps' clean().
        cleaned = super().clean()
        assert cleaned is not None
        return cleaned

    def model_choice_field(self, name: str) -> forms.ModelChoiceField[Any]:
        """The form's field `name`, declared as a ModelChoiceField (`fields` holds Field)."""
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        return field


# --- 1. Zone and country/region (guide, step 3) ---------------------------------------------


@lru_cache(maxsize=64)
def _countries_by_name(codes: tuple[str, ...], language: str) -> tuple[tuple[str, str], ...]:
    """The countries of a zone as options, by their names in `language`: sorted once per zone and
    language (about fifty names translated and compared on every zone page before). The key is
    the zone's countries themselves, so that a zone edited in the admin is sorted again."""
    with override(language or None):
        named = ((code, str(all_countries.name(code))) for code in codes)
        return tuple(sorted(named, key=lambda item: item[1]))


class ZoneForm(StepForm):
    model_fields = ("zone", "country")

    zone = ModelChoiceField(
        label=_("Zone"),
        queryset=ServiceZone.objects.order_by("position", "code"),
        empty_label=_("Choose your zone"),
        error_messages={"required": _("Choose your zone.")},
    )
    country = forms.ChoiceField(
        label=_("Country/region"),
        error_messages={
            "required": _("Choose the country or region where you live."),
            "invalid_choice": _("Choose a country or region of the list."),
        },
    )

    def __init__(self, *args: Any, zone_hint: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = self.model_choice_field("zone").queryset
        assert zones is not None  # declared with one
        self.zones: list[ServiceZone] = list(zones)
        # The options from the zones just read (the field's own iterator would read them again);
        # an answer is still checked against the queryset.
        zone_field = self.model_choice_field("zone")
        zone_field.choices = [
            ("", zone_field.empty_label),
            *((zone.pk, zone_field.label_from_instance(zone)) for zone in self.zones),
        ]
        # With a zone known (typed, or asked by the page's htmx call), its countries only;
        # without, every zone's countries grouped by zone: the page works without JavaScript
        # and clean() checks that the country is in the zone.
        chosen = self._chosen_zone(zone_hint)
        self.chosen_zone = chosen
        blank: list[tuple[str, StrOrPromise]] = [("", _("Choose your country or region"))]
        country_field = self.fields["country"]
        assert isinstance(country_field, forms.ChoiceField)
        if chosen is not None:
            country_field.choices = blank + self._countries(chosen)
        else:
            country_field.choices = blank + [
                (zone.name, self._countries(zone)) for zone in self.zones
            ]

    def _chosen_zone(self, zone_hint: str) -> ServiceZone | None:
        value = self.data.get(self.add_prefix("zone")) if self.is_bound else zone_hint
        if not value and not self.is_bound:
            value = self.initial.get("zone")
            value = getattr(value, "pk", value)
        return next((zone for zone in self.zones if str(zone.pk) == str(value)), None)

    @staticmethod
    def _countries(zone: ServiceZone) -> list[tuple[str, str]]:
        codes = tuple(str(country.code) for country in zone.countries)
        return list(_countries_by_name(codes, get_language() or ""))

    @classmethod
    def initial_for(cls, repair_request: RepairRequest, user: Any) -> dict[str, Any]:
        initial = {"zone": repair_request.zone_id, "country": str(repair_request.country or "")}
        if not initial["country"]:
            # The address book's country is the likely one (guide: « le pays où vous résidez »).
            address = address_list(user=user).order_by("-updated_at").first()
            if address is not None:
                zone = zone_for_country(str(address.country))
                if zone is not None:
                    initial = {"zone": zone.pk, "country": str(address.country)}
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        zone, country = cleaned.get("zone"), cleaned.get("country")
        if zone and country and not zone.serves(country):
            self.add_error(
                "country",
                _("%(zone)s does not serve this country or region: choose one of its list.")
                % {"zone": zone.name},
            )
        return cleaned


# --- 2. Product (guide, step 4) ------------------------------------------------------------


class ProductForm(StepForm):
    """Three ways, as the guide's step 4: (1) one of My products, (2) a serial number, which is
    recognised, (3) a model, the serial number then optional."""

    model_fields = ("device", "serial_number", "product_model")

    MINE, SERIAL, MODEL = "mine", "serial", "model"

    way = forms.ChoiceField(
        label=_("How do you want to choose your product?"),
        widget=forms.RadioSelect,
        choices=[
            (MINE, _("From my products")),
            (SERIAL, _("By its serial number")),
            (MODEL, _("By its model")),
        ],
        error_messages={"required": _("Choose how to find your product.")},
    )
    my_device = DeviceChoiceField(
        label=_("My products"),
        queryset=Device.objects.none(),
        required=False,
        widget=forms.RadioSelect,
    )
    serial = forms.CharField(
        label=_("Serial number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    model = ProductModelChoiceField(
        label=_("Model"),
        queryset=ProductModel.objects.none(),
        required=False,
        empty_label=_("Choose the model"),
    )
    model_serial = forms.CharField(
        label=_("Serial number (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_choice_field("my_device").queryset = devices_of(self.user)
        self.model_choice_field("model").queryset = ProductModel.objects.filter(
            is_active=True
        ).select_related("line")

    @classmethod
    def initial_for(cls, repair_request: RepairRequest, user: Any) -> dict[str, Any]:
        device = repair_request.device
        if device is not None and device.owner_id == user.pk:
            # Typed or picked, it is one of My products: both show it.
            return {"way": cls.MINE, "my_device": device.pk, "serial": device.serial_number}
        if device is not None:
            return {"way": cls.SERIAL, "serial": repair_request.serial_number}
        if repair_request.product_model_id:
            return {
                "way": cls.MODEL,
                "model": repair_request.product_model_id,
                "model_serial": repair_request.serial_number,
            }
        return {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        way = cleaned.get("way")
        if way == self.MINE:
            device = cleaned.get("my_device")
            if device is None:
                self.add_error("my_device", _("Choose one of your products."))
                return cleaned
            self._decide(device=device, serial_number=device.serial_number, model=device.model)
        elif way == self.SERIAL:
            serial = normalize_serial_number(cleaned.get("serial", ""))
            if not serial:
                self.add_error("serial", _("Type the serial number of your product."))
                return cleaned
            device, message = serial_lookup(user=self.user, serial_number=serial)
            if device is None:
                self.add_error("serial", message)
                return cleaned
            self._decide(device=device, serial_number=device.serial_number, model=device.model)
        elif way == self.MODEL:
            model = cleaned.get("model")
            if model is None:
                self.add_error("model", _("Choose the model of your product."))
                return cleaned
            serial = normalize_serial_number(cleaned.get("model_serial", ""))
            device = None
            if serial:
                # The same look-up and limit as the serial-number way, and no more said: the
                # serial number is not of the model chosen, never which model it is.
                if SERIAL_LOOKUP_LIMIT.is_reached(self.user.pk):
                    self.add_error("model_serial", TOO_MANY_SERIALS_BY_MODEL)
                    return cleaned
                # An unknown serial number is allowed (the product may not be registered) and
                # counted as a miss by serial_lookup.
                device, _message = serial_lookup(user=self.user, serial_number=serial)
                if device is not None and device.model_id != model.pk:
                    SERIAL_LOOKUP_LIMIT.record_failure(self.user.pk)
                    self.add_error(
                        "model_serial",
                        _(
                            "This serial number is not that of a %(chosen)s. Check it, or "
                            "leave it empty."
                        )
                        % {"chosen": model.display_name},
                    )
                    return cleaned
            self._decide(device=device, serial_number=serial, model=model)
        return cleaned

    def _decide(self, *, device: Device | None, serial_number: str, model: ProductModel) -> None:
        # The three are set together, so that the draft never has a serial of one model and
        # the model of another.
        self.cleaned_data.update(
            {"device": device, "serial_number": serial_number, "product_model": model}
        )


# --- 3. Service (guide, step 5) ------------------------------------------------------------


class ServiceForm(StepForm):
    model_fields = ("service_type",)

    service_type = forms.ChoiceField(
        label=_("Please select a service."),
        widget=forms.RadioSelect,
        choices=ServiceType.choices,
        error_messages={"required": _("Choose a service.")},
    )


# --- 4. Problems (guide, steps 5 and 6) ------------------------------------------------------


class ProblemsForm(StepForm):
    model_fields = ("problems", "description", "support_contacted")

    problems = forms.MultipleChoiceField(
        label=_("What is the problem with your product?"),
        widget=forms.CheckboxSelectMultiple,
        choices=Problem.choices,
        error_messages={"required": _("Tick at least one problem.")},
    )
    description = forms.CharField(
        label=_("Please describe your problem here."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        required=False,
        help_text=_(
            "A detailed description of your problem will help us find its cause faster and "
            "reduce the processing time."
        ),
    )
    # Guide, step 6: offered support first; the request goes on only once it did not help.
    support_contacted = forms.BooleanField(
        label=_("I contacted online support, but the problem could not be solved."),
        error_messages={
            "required": _(
                "Please contact our online support first: many problems are solved without "
                "sending the product. Tick this box once you have."
            )
        },
    )

    def problem_groups(self) -> list[tuple[Any, list[Any]]]:
        """The checkboxes under the guide's two headings."""
        by_value = {option.data["value"]: option for option in self["problems"]}
        return [
            (_("Hardware problem"), [by_value[p.value] for p in HARDWARE_PROBLEMS]),
            (_("Software and other"), [by_value[p.value] for p in SOFTWARE_PROBLEMS]),
        ]


# --- 5. Proof of purchase ---------------------------------------------------------------------


class PurchaseForm(StepForm):
    model_fields = ("purchase_channel", "received_on", "has_plan", "plan")

    purchase_channel = forms.ChoiceField(
        label=_("Purchase channel"),
        choices=[("", _("Choose where you bought it")), *PurchaseChannel.choices],
        error_messages={"required": _("Choose where you bought your product.")},
    )
    received_on = forms.DateField(
        label=_("Date of receipt"),
        widget=DateInput(),
        validators=[_not_in_future],
        error_messages={
            "required": _("Enter the date you received your product."),
            "invalid": _("Enter a valid date."),
        },
    )
    invoice = AttachmentField(
        kind=AttachmentKind.INVOICE, label=_("Upload a proof of purchase"), required=False
    )
    has_plan = forms.BooleanField(
        label=branded(_("I have a %(brand)s service plan")), required=False
    )

    def __init__(self, *args: Any, invoice_on_file: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if invoice_on_file:
            # Kept and shown with its name and a remove button; never asked again.
            del self.fields["invoice"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "has_plan" in cleaned:
            # The plan bound to this serial now (FAQ 10: it follows the unit), or none.
            serial = self.repair_request.serial_number
            cleaned["plan"] = (
                plan_for_owner(serial, self.repair_request.user_id)
                if cleaned["has_plan"] and serial
                else None
            )
        return cleaned


# --- 6. Cause (accident damage) -------------------------------------------------------------


class CauseForm(StepForm):
    model_fields = ("accident_cause",)

    accident_cause = forms.ChoiceField(
        label=_("In your estimation, what may have caused the accident?"),
        widget=forms.RadioSelect,
        choices=AccidentCause.choices,
        error_messages={"required": _("Choose what may have caused the accident.")},
    )


# --- 7. Flight data analysis ------------------------------------------------------------------


def _yes(value: str) -> bool:
    return value == "yes"


class AnalysisForm(KeepAcceptedFilesMixin, StepForm):
    model_fields = (
        "data_analysis_requested",
        "accident_date",
        "flight_environment",
        "abnormal_condition",
        "flight_account_email",
        "flight_records_synced",
        "video_url",
    )
    # Required only when the analysis is requested (see clean()).
    REQUIRED_WHEN_REQUESTED = {
        "accident_date": _("Select the date when the accident happened."),
        "flight_environment": _("Select the flight environment where the accident happened."),
        "abnormal_condition": _("Select the abnormal condition before the accident."),
        "flight_account_email": branded(
            _("Enter the %(brand)s account you were using when the accident happened.")
        ),
        "flight_records_synced": _(
            "Make sure your flight records are synced so that our engineer can analyse them "
            "in time, then tick this box."
        ),
    }

    data_analysis_requested = forms.TypedChoiceField(
        label=branded(
            _(
                "%(brand)s offers a data analysis service for products under warranty to find "
                "the cause of the accident. It adds 3 to 5 business days to the processing "
                "time. Would you like to request a data analysis?"
            )
        ),
        widget=forms.RadioSelect,
        choices=[("no", _("No thanks.")), ("yes", _("Request the data analysis"))],
        coerce=_yes,
        error_messages={"required": _("Choose whether you want a data analysis.")},
    )
    accident_date = forms.DateField(
        label=_("Date of the accident"),
        widget=DateInput(),
        required=False,
        validators=[_not_in_future],
        error_messages={"invalid": _("Enter a valid date.")},
    )
    flight_environment = forms.ChoiceField(
        label=_("Flight environment"),
        widget=forms.RadioSelect,
        choices=FlightEnvironment.choices,
        required=False,
    )
    abnormal_condition = forms.ChoiceField(
        label=_("Abnormal condition before the accident"),
        widget=forms.RadioSelect,
        choices=AbnormalCondition.choices,
        required=False,
    )
    flight_account_email = forms.EmailField(
        label=branded(_("%(brand)s account used during the flight")),
        required=False,
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "placeholder": _("e.g. name@example.com")}
        ),
    )
    flight_records_synced = forms.BooleanField(
        label=_("I have synced my flight records."), required=False
    )
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "A video of the accident helps us solve your problem more effectively: upload it "
            "to Google Drive or Dropbox and paste the link here."
        ),
    )
    # Several files at once; those that pass are stored even when another one is refused.
    flight_logs = MultipleAttachmentField(
        kind=AttachmentKind.FLIGHT_LOG, label=_("Flight log files"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The form_field tag (core.templatetags.form_field) marks these with the required star
        # and this text.
        for name, prompt in self.REQUIRED_WHEN_REQUESTED.items():
            self.fields[name].conditionally_required = _(  # type: ignore[attr-defined]
                "(required if you request the analysis)"
            )
            # The guide's prompt under each field (« * Sélectionnez la date à laquelle
            # l'accident s'est produit. »), also the message when it is left empty.
            if not self.fields[name].help_text:
                self.fields[name].help_text = prompt

    @classmethod
    def initial_for(cls, repair_request: RepairRequest, user: Any) -> dict[str, Any]:
        initial = super().initial_for(repair_request, user)
        initial["data_analysis_requested"] = (
            "yes" if repair_request.data_analysis_requested else "no"
        )
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("data_analysis_requested"):
            for name, message in self.REQUIRED_WHEN_REQUESTED.items():
                if name not in self.errors and not cleaned.get(name):
                    self.add_error(name, str(message))
        return cleaned


# --- 8. Express (plan holders) -----------------------------------------------------------------


class ExpressForm(StepForm):
    model_fields = ("express_requested", "express_serial_number")

    express_requested = forms.TypedChoiceField(
        label=_("Your choice"),
        widget=forms.RadioSelect,
        choices=[
            ("yes", branded(_("Confirm to use %(brand)s Care Refresh Express."))),
            ("no", _("Continue with the online repair request.")),
        ],
        coerce=_yes,
        error_messages={"required": _("Choose Express or the online repair request.")},
    )
    express_serial_number = forms.CharField(
        label=_("Aircraft serial number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    @classmethod
    def initial_for(cls, repair_request: RepairRequest, user: Any) -> dict[str, Any]:
        return {
            "express_requested": "yes" if repair_request.express_requested else "no",
            "express_serial_number": repair_request.express_serial_number,
        }

    def clean_express_serial_number(self) -> str:
        return normalize_serial_number(self.cleaned_data.get("express_serial_number", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("express_requested") and "express_serial_number" in cleaned:
            # Seed 001: « Enter Product SN … Aircraft SN … Confirm »: the unit in hand must be
            # the one the plan covers.
            if not cleaned["express_serial_number"]:
                self.add_error(
                    "express_serial_number", _("Enter the serial number of your aircraft.")
                )
            elif cleaned["express_serial_number"] != normalize_serial_number(
                self.repair_request.serial_number
            ):
                self.add_error(
                    "express_serial_number",
                    _(
                        "This serial number does not match the product of this request "
                        "(%(serial)s). Check it on your aircraft."
                    )
                    % {"serial": self.repair_request.serial_number},
                )
        return cleaned


# --- 9. What to send (guide, step 7) -----------------------------------------------------------


class ShipmentForm(StepForm):
    model_fields = ("shipment", "component")

    shipment = forms.ChoiceField(
        label=_("What will you send us?"),
        widget=forms.RadioSelect,
        choices=Shipment.choices,
        error_messages={"required": _("Choose what you will send.")},
    )
    component = ModelChoiceField(
        label=_("Which component?"),
        queryset=Component.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a component of your product.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_choice_field("component").queryset = self.components()

    def components(self) -> QuerySet[Component]:
        product_model = self.repair_request.product_model
        if product_model is None:
            return Component.objects.none()
        return product_model.components.order_by("position", "code")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            cleaned.get("shipment") == Shipment.DEFECTIVE_COMPONENT
            and "component" in cleaned
            and cleaned["component"] is None
        ):
            self.add_error("component", _("Choose the defective component you will send."))
        return cleaned


# --- 10. Return address (guide, step 8) --------------------------------------------------------


def address_outside_zone(address: Address, repair_request: RepairRequest) -> str:
    """Why an address cannot be picked, or "" when it can (guide, step 8: « Si l'adresse
    enregistrée se trouve en dehors de la zone de service …, elle ne pourra pas être
    sélectionnée »)."""
    zone = repair_request.zone
    if zone is None or zone.serves(str(address.country)):
        return ""
    return str(
        _("Outside the service zone %(zone)s: we cannot send a product back to %(country)s.")
        % {"zone": zone.name, "country": address.country.name}
    )


# Ids are positive 64-bit integers (BigAutoField).
_LARGEST_ID = 2**63 - 1


class PostedValuesForm(forms.Form):
    """Values a view reads besides a step's answers (which button, which file, which address):
    parsed by form fields like any answer, never with `int()` or straight into a query."""

    @classmethod
    def read(cls, data: Any) -> dict[str, Any]:
        """The values that are valid; the others are left out (as if not sent)."""
        form = cls(data)
        form.is_valid()
        return {name: value for name, value in form.cleaned_data.items() if value not in ("", None)}


class AddressPanelForm(PostedValuesForm):
    """What the return-address panel sends besides an address's own fields (POST: which change,
    to which address; GET: which address to edit, which one is ticked). A value that is not an
    id (`abc`, `²`) is simply not an id."""

    op = forms.ChoiceField(
        choices=[("create", "create"), ("update", "update"), ("delete", "delete")],
        required=False,
    )
    address = forms.IntegerField(min_value=1, max_value=_LARGEST_ID, required=False)
    edit = forms.IntegerField(min_value=1, max_value=_LARGEST_ID, required=False)
    return_address = forms.IntegerField(min_value=1, max_value=_LARGEST_ID, required=False)


class AttachmentRemovalForm(PostedValuesForm):
    """The file a step's "Remove" button names, by its token (`secrets.token_urlsafe`)."""

    remove_attachment = forms.RegexField(regex=r"\A[A-Za-z0-9_-]{1,32}\Z", required=False)


class ReturnAddressForm(StepForm):
    model_fields = ("return_address",)

    return_address = ModelChoiceField(
        label=_("Return address"),
        queryset=Address.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose the address we send your product back to, or add one."),
            "invalid_choice": _("Choose one of your addresses."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_choice_field("return_address").queryset = address_list(user=self.user)

    def clean_return_address(self) -> Address:
        address = self.cleaned_data["return_address"]
        # Checked here too: a disabled radio can still be posted by hand.
        reason = address_outside_zone(address, self.repair_request)
        if reason:
            raise forms.ValidationError(reason, code="outside_zone")
        return address


# --- 11. Summary ---------------------------------------------------------------------------------


class SummaryForm(StepForm):
    model_fields = ("terms_accepted_at",)

    terms_accepted = forms.BooleanField(
        label=_("I have read and accept the terms and conditions of the online repair request."),
        error_messages={"required": _("Please read and accept the terms to send your request.")},
    )

    @classmethod
    def initial_for(cls, repair_request: RepairRequest, user: Any) -> dict[str, Any]:
        return {"terms_accepted": repair_request.terms_accepted_at is not None}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("terms_accepted"):
            cleaned["terms_accepted_at"] = timezone.now()
        return cleaned


# --- The customer's answer to a quote (issue 8) ------------------------------------------------


class QuoteAnswerForm(forms.Form):
    """Which quote the customer read (its id: a revised quote has another) and which of its
    options they chose: carried by the option's button to the confirmation, then posted."""

    quote = forms.IntegerField(min_value=1, max_value=_LARGEST_ID, widget=forms.HiddenInput)
    option = forms.ChoiceField(choices=QuoteOption.choices, widget=forms.HiddenInput)
