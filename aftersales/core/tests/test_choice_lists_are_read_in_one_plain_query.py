"""The app's model choice fields (`core.form_fields`) give the options Django's give, read in one
plain query (no server-side cursor), and no form of the app uses Django's own."""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest
from django import forms
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from aftersales.catalog.models import ProductModel
from aftersales.catalog.tests.factories import ProductModelFactory
from aftersales.core import form_fields

pytestmark = pytest.mark.django_db


def _forms(kind: type[forms.Field], multiple: bool) -> forms.Form:
    class Choose(forms.Form):
        model = kind(
            queryset=ProductModel.objects.order_by("name"),
            widget=forms.CheckboxSelectMultiple if multiple else forms.RadioSelect,
            **({} if multiple else {"empty_label": "None of them"}),
        )

    return Choose({"model": []} if multiple else {})


@pytest.mark.parametrize(
    ("ours", "django_s", "multiple"),
    [
        (form_fields.ModelChoiceField, forms.ModelChoiceField, False),
        (form_fields.ModelMultipleChoiceField, forms.ModelMultipleChoiceField, True),
    ],
)
def test_the_options_are_djangos_read_in_one_plain_query(ours, django_s, multiple):
    for code, name in (("m2p", "Mavic 2 Pro"), ("spark", "Spark"), ("osmo", "Osmo <Pocket> & co")):
        ProductModelFactory(code=code, name=name)
    expected = str(_forms(django_s, multiple)["model"])
    form = _forms(ours, multiple)
    with (
        mock.patch.object(QuerySet, "iterator", side_effect=AssertionError("a cursor")),
        CaptureQueriesContext(connection) as queries,
    ):
        rendered = str(form["model"])
    assert rendered == expected
    assert "Osmo &lt;Pocket&gt; &amp; co" in rendered
    assert len(queries) == 1
    # The field's own queryset is left unevaluated: a form validates against fresh rows.
    assert form.fields["model"].queryset._result_cache is None


def test_an_option_saved_after_the_form_was_made_is_offered():
    form = _forms(form_fields.ModelChoiceField, False)
    assert "Inspire 2" not in str(form["model"])
    ProductModelFactory(code="inspire-2", name="Inspire 2")
    assert "Inspire 2" in str(form["model"])


def test_no_form_of_the_app_uses_djangos_own_model_choice_fields():
    root = Path(__file__).resolve().parents[2]
    own = re.compile(r"\bforms\.Model(?:Multiple)?ChoiceField\s*\(|\(forms\.Model\w*ChoiceField\)")
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path.name != "form_fields.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if own.search(line)
    ]
    assert found == []
