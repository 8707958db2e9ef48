from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .errors import PlanRuleError

_TYPED_AS_IS = {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}


class PlanActivationForm(forms.Form):
    """An activation card: its code and the serial number of the device (FAQ 3, 11)."""

    activation_code = forms.CharField(
        label=_("Activation code"),
        max_length=40,
        help_text=_("16 letters and digits, as printed on the card, e.g. ABCD-EFGH-JKMN-PQRS."),
        widget=forms.TextInput(attrs={**_TYPED_AS_IS, "autofocus": True}),
    )
    serial_number = forms.CharField(
        label=_("Serial number of the device"),
        max_length=60,
        help_text=_("Letters and digits, as printed on the product (S/N)."),
        widget=forms.TextInput(attrs=_TYPED_AS_IS),
    )

    # Where each refusal is shown: what the customer has to correct.
    CODE_ERRORS = frozenset({"code_invalid", "code_used", "code_wrong_offering"})
    SERIAL_ERRORS = frozenset(
        {
            "device_unknown",
            "device_other_account",
            "model_not_covered",
            "already_has_plan",
            "binding_window_passed",
            "region_mismatch",
        }
    )

    def add_rule_error(self, error: PlanRuleError) -> None:
        """Shows a refusal of the plan rules at the field it concerns (the rest above the form).
        The typed values stay in the form."""
        field = None
        if error.code in self.CODE_ERRORS:
            field = "activation_code"
        elif error.code in self.SERIAL_ERRORS:
            field = "serial_number"
        self.add_error(field, error.message)
