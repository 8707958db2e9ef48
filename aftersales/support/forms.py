"""The contact form of the guide's last page and the inbox's forms: fields and their checks."""

from __future__ import annotations

from typing import Any, cast

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from aftersales.catalog.models import ProductModel
from aftersales.core.form_fields import ModelChoiceField
from aftersales.devices.models import Device
from aftersales.repairs.attachments import AttachmentField, MultipleAttachmentField
from aftersales.repairs.choices import AttachmentKind
from aftersales.repairs.forms import DeviceChoiceField, ProductModelChoiceField
from aftersales.workshop.forms import serial_clean

from . import services
from .choices import Continent, ProblemType, TicketStatus
from .models import CannedAnswer

# The column's length (RFC 5321's path limit), below forms.EmailField's default of 320.
EMAIL_MAX_LENGTH = 254
EMAIL_TOO_LONG = _("An e-mail address has at most %(limit_value)d characters.")


class VerificationCodeInput(CaptchaTextInput):
    """The picture, the audio link when the site can read it aloud, and the text field; the
    template says in words what each is (the library's default has an English alt text)."""

    template_name = "support/captcha_field.html"
    # One label for the text field (the hidden key needs none), not a fieldset.
    use_fieldset = False


def _country_choices() -> list[tuple[str, str]]:
    """In the reader's language, when the form is drawn."""
    return [
        ("", str(_("Choose your country or region"))),
        *((str(c), str(n)) for c, n in countries),
    ]


class ContactForm(forms.Form):
    """Guide, last page: « Produit, Votre nom complet, Continent, Pays/Région, Votre adresse
    e-mail, Numéro de téléphone, Type de problème, Nom du revendeur, S/N, Sujet, Description du
    problème, Preuve d'achat, Entrez le code de vérification »."""

    device = DeviceChoiceField(
        label=_("One of my products"),
        queryset=Device.objects.none(),
        required=False,
        empty_label=_("Another product"),
    )
    product_model = ProductModelChoiceField(
        label=_("Product"),
        queryset=ProductModel.objects.filter(is_active=True).select_related("line"),
        empty_label=_("Choose your product"),
        required=False,
    )
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your full name.")},
    )
    continent = forms.ChoiceField(
        label=_("Continent"),
        choices=[("", _("Choose your continent")), *Continent.choices],
        error_messages={"required": _("Choose your continent.")},
    )
    country = forms.ChoiceField(
        label=_("Country/region"),
        choices=_country_choices,
        error_messages={"required": _("Choose your country or region.")},
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter a valid e-mail address, like name@example.com."),
            "max_length": EMAIL_TOO_LONG,
        },
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    problem_type = forms.ChoiceField(
        label=_("Problem type"),
        choices=[("", _("Choose a problem type")), *ProblemType.choices],
        required=False,
    )
    reseller_name = forms.CharField(label=_("Reseller name"), max_length=150, required=False)
    serial_number = forms.CharField(
        label=_("Serial number (S/N)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        error_messages={"required": _("Enter a subject.")},
    )
    description = forms.CharField(
        label=_("Description of the problem"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Describe your problem.")},
    )
    proof_of_purchase = AttachmentField(
        kind=AttachmentKind.INVOICE, label=_("Proof of purchase"), required=False
    )
    captcha = CaptchaField(
        label=_("Enter the verification code"),
        widget=VerificationCodeInput,
        error_messages={"invalid": _("The verification code is not right; try the new one.")},
    )

    def __init__(self, *args: Any, user: Any = None, file_on_hand: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and user.is_authenticated:
            device_field = cast(forms.ModelChoiceField, self.fields["device"])  # type: ignore[type-arg]
            device_field.queryset = Device.objects.filter(owner=user).select_related("model")
            # An account proved its address; no code to type.
            del self.fields["captcha"]
        else:
            del self.fields["device"]
        if file_on_hand:
            # Kept from an earlier try, shown with its name and a remove button.
            del self.fields["proof_of_purchase"]

    @staticmethod
    def initial_for(user: Any) -> dict[str, Any]:
        if user is None or not user.is_authenticated:
            return {}
        return {
            "full_name": user.get_full_name(),
            "email": user.email,
        }

    def clean_serial_number(self) -> str:
        # As the workshop reads one: checked once normalised ("ß" would grow past the column).
        return serial_clean(self.cleaned_data["serial_number"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        device = cleaned.get("device")
        if device is not None:
            cleaned["product_model"] = device.model
            cleaned["serial_number"] = device.serial_number
        elif not cleaned.get("product_model") and "product_model" not in self.errors:
            self.add_error("product_model", _("Choose your product."))
        return cleaned


class AnswerFilesField(MultipleAttachmentField):
    """The files of one answer: at most services.MAX_FILES_PER_ANSWER, counted before any is
    read (each is then checked as the repair request's files are)."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        if len([f for f in files if f not in self.empty_values]) > services.MAX_FILES_PER_ANSWER:
            self.accepted = []
            raise forms.ValidationError(
                services.TOO_MANY_FILES,
                code="too_many",
                params={"limit": services.MAX_FILES_PER_ANSWER},
            )
        return super().clean(data, initial)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write your answer.")},
    )
    attachments = AnswerFilesField(
        kind=AttachmentKind.INVOICE, label=_("Attach files"), required=False
    )


class AgentReplyForm(ReplyForm):
    prefix = "reply"  # beside the note's form on the ticket page
    body = forms.CharField(
        label=_("Reply to the customer"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write the reply.")},
    )


class NoteForm(ReplyForm):
    prefix = "note"
    body = forms.CharField(
        label=_("Internal note (never shown to the customer)"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the note.")},
    )


class AssignForm(forms.Form):
    assignee = ModelChoiceField(
        label=_("Assigned to"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (  # type: ignore[attr-defined]
            get_user_model()
            .objects.filter(is_staff=True, is_active=True)
            .filter(models_q_answer_ticket())
            .distinct()
            .order_by("first_name", "email")
        )


def models_q_answer_ticket() -> Any:
    from django.db.models import Q

    perm = Q(user_permissions__codename="answer_ticket") | Q(
        groups__permissions__codename="answer_ticket"
    )
    return perm | Q(is_superuser=True)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TicketStatus.choices)


class CaseLinkForm(forms.Form):
    case_number = forms.CharField(
        label=_("Case number"),
        max_length=40,
        help_text=_("e.g. CAS-1234567-ABC123"),
        error_messages={"required": _("Enter the case number.")},
    )


class CannedChoiceForm(forms.Form):
    canned = ModelChoiceField(
        label=_("Canned answer"),
        queryset=CannedAnswer.objects.all(),
        empty_label=_("Choose an answer"),
    )
