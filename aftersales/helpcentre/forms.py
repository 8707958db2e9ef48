from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import ProductLine
from aftersales.core.form_fields import ModelMultipleChoiceField

from . import selectors
from .choices import ArticleAction
from .models import Article
from .search import MAX_QUERY_CHARS


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Your question"),
        max_length=MAX_QUERY_CHARS,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class ArticleForm(forms.ModelForm):
    """The staff's article form: both languages, product lines, action, published, position.

    `version` carries the `updated_at` of the article as the page showed it
    (`services.article_save` refuses the save when someone saved it since). The address (slug)
    is chosen once, at creation: left empty, it is made from the English title."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    action = forms.ChoiceField(
        label=capfirst(_("action")),
        choices=[("", _("No action")), *ArticleAction.choices],
        required=False,
        help_text=_("The page the answer leads to, shown as a button under it."),
    )
    product_lines = ModelMultipleChoiceField(
        label=capfirst(_("product lines")),
        queryset=ProductLine.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The product lines the answer applies to; none: all of them."),
    )

    class Meta:
        model = Article
        fields = [
            "slug",
            "title_fr",
            "body_fr",
            "keywords_fr",
            "title_en",
            "body_en",
            "keywords_en",
            "product_lines",
            "action",
            "published",
            "position",
        ]
        widgets = {
            "body_fr": forms.Textarea(attrs={"rows": 8}),
            "body_en": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "The end of the article's address (/help/…): lower-case letters, digits and "
                "hyphens. Left empty, it is made from the English title. It cannot be changed "
                "afterwards."
            )
        else:
            del self.fields["slug"]
            self.initial["version"] = self.instance.updated_at.isoformat()
        for language in ("fr", "en"):
            self.fields[f"title_{language}"].widget.attrs["lang"] = language
            self.fields[f"body_{language}"].widget.attrs["lang"] = language
            self.fields[f"keywords_{language}"].widget.attrs["lang"] = language

    def clean_version(self) -> datetime | None:
        """The version the page started from; an edit without one is refused (a stale or
        forged form)."""
        value = self.cleaned_data["version"].strip()
        if not value:
            if self.instance.pk is not None:
                raise ValidationError(_("Open the article again: the form is out of date."))
            return None
        try:
            version = datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(_("Open the article again: the form is out of date.")) from None
        return version

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if "slug" in self.fields and not cleaned.get("slug") and "slug" not in self.errors:
            base = slugify(cleaned.get("title_en") or cleaned.get("title_fr") or "")
            if base:
                cleaned["slug"] = selectors.article_slug_free(base)
        return cleaned
