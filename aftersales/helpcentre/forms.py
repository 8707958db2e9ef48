from django import forms
from django.utils.translation import gettext_lazy as _

from .search import MAX_QUERY_CHARS


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Your question"),
        max_length=MAX_QUERY_CHARS,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
