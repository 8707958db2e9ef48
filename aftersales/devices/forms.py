from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DeviceClaimForm(forms.Form):
    serial_number = forms.CharField(
        label=_("Serial number"),
        max_length=60,
        help_text=_("Letters and digits, as printed on the product (S/N)."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )
