"""Every form of the site writes its fields with `{% form_field %}` (core.templatetags.form_field):
the label tied to the widget, a checkbox before its label, a group of inputs in a fieldset named
by its legend, the errors right after the widget and the help text under it, with the ids
Django's aria-describedby points at; everything the form holds is escaped."""

from __future__ import annotations

import re

from django import forms
from django.template import engines
from django.utils.safestring import mark_safe

TAG = engines["django"].from_string("{% load form_field %}{% form_field field %}")


class Sample(forms.Form):
    email = forms.EmailField(label="E-mail <address>", help_text="We write to it & nowhere else.")
    note = forms.CharField(
        label="Note", required=False, help_text=mark_safe('See <a href="/help/">the help</a>.')
    )
    terms = forms.BooleanField(label="I accept the terms")
    newsletter = forms.BooleanField(label="News", required=False)
    kind = forms.ChoiceField(
        label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    video = forms.URLField(label="Video", required=False, assume_scheme="https")


def written(form: forms.Form, name: str) -> str:
    return TAG.render({"field": form[name]})


def test_a_field_is_its_label_then_its_widget_then_its_help_with_the_ids_aria_points_at():
    html = written(Sample(), "email")

    assert html.startswith('<div class="field">')
    label = re.search(r'<label for="id_email">(.*?)</label>', html, re.S).group(1)
    assert label == 'E-mail &lt;address&gt; <span class="required" aria-hidden="true">*</span>'
    assert html.index("<label") < html.index("<input")
    assert 'aria-describedby="id_email_helptext"' in html
    assert '<p class="help" id="id_email_helptext">We write to it &amp; nowhere else.</p>' in html


def test_help_marked_safe_by_the_form_keeps_its_link_and_an_optional_field_has_no_star():
    html = written(Sample(), "note")

    assert '<a href="/help/">the help</a>' in html
    assert "required" not in html.split("</label>")[0]


def test_a_checkbox_comes_before_its_label():
    html = written(Sample(), "terms")

    assert html.startswith('<div class="field checkbox">')
    assert html.index('<input type="checkbox"') < html.index('<label for="id_terms">')


def test_a_group_of_inputs_is_a_fieldset_named_by_its_legend():
    html = written(Sample(), "kind")

    assert re.search(r"<fieldset>\s*<legend>Kind <span class=\"required\"", html)
    assert html.count('type="radio"') == 2
    assert "<label for=" not in html.split("<fieldset>")[0]


def test_errors_follow_the_widget_and_mark_the_field():
    form = Sample({"email": "not an address", "kind": "z"})
    assert not form.is_valid()

    html = written(form, "email")

    assert html.startswith('<div class="field has-error">')
    assert 'aria-invalid="true"' in html
    assert html.index("<input") < html.index('<ul class="errorlist" id="id_email_error">')
    assert html.index('id="id_email_error"') < html.index('id="id_email_helptext"')


def test_a_field_required_only_in_some_cases_has_the_star_and_says_when():
    form = Sample()
    form.fields["video"].conditionally_required = "(required if you <send> no file)"  # type: ignore[attr-defined]

    label = re.search(r'<label for="id_video">(.*?)</label>', written(form, "video"), re.S)

    assert label.group(1) == (
        'Video <span class="required" aria-hidden="true">*</span>'
        '<span class="visually-hidden"> (required if you &lt;send&gt; no file)</span>'
    )
