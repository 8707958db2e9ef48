"""Form widgets are rendered by Django's Jinja2 templates (the same markup, faster); a widget
with no Jinja2 template (the admin's, auth's) by its Django template, so that every admin page
still renders."""

from __future__ import annotations

import re

from django import forms
from django.forms.renderers import get_default_renderer
from django.utils.translation import gettext_lazy

from aftersales.core.form_renderer import FastRenderer

lazy_label = gettext_lazy("Yes")


class _Form(forms.Form):
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


def test_the_site_renders_widgets_with_the_fast_renderer():
    assert isinstance(get_default_renderer(), FastRenderer)


def test_django_s_widgets_come_from_jinja2_and_the_others_from_django_templates():
    renderer = FastRenderer()
    select = renderer.get_template("django/forms/widgets/select.html")
    assert type(select).__module__.startswith("django.template.backends.jinja2")
    radio = renderer.get_template("django/forms/widgets/radio.html")
    assert type(radio).__module__ == "aftersales.core.form_renderer"  # written in Python
    password = renderer.get_template("auth/widgets/read_only_password_hash.html")
    assert type(password).__module__.startswith("django.template.backends.django")
    # Asked again: straight to the Django template.
    assert "auth/widgets/read_only_password_hash.html" in renderer._django_only


def test_a_radio_select_renders_the_same_inputs_and_labels():
    html = str(_Form({"choice": "b"}, auto_id="f-%s")["choice"])
    assert '<input type="radio" name="choice" value="b" required id="f-choice_1" checked>' in html
    assert '<label for="f-choice_0">' in html


# --- The widgets written in Python give Django's markup, character for character -------------

_TRICKY = 'Tom & "Jerry" <b>'


class _Everything(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"autofocus": True, "size": 10}))
    optional = forms.CharField(required=False, widget=forms.TextInput(attrs={"disabled": False}))
    email = forms.EmailField(label=_TRICKY)
    number = forms.DecimalField(max_digits=5, decimal_places=2)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    url = forms.URLField(required=False, assume_scheme="https")
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    agreed = forms.BooleanField(required=False)
    upload = forms.FileField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "class": "wide"}))
    empty_note = forms.CharField(required=False, widget=forms.Textarea)
    radio = forms.ChoiceField(
        choices=[("a", "A & B"), ("b", lazy_label), ("c", _TRICKY)], widget=forms.RadioSelect
    )
    grouped = forms.MultipleChoiceField(
        choices=[("Drones", [("m", "Mavic"), ("s", "Spark")]), ("g", "Gimbal")],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "columns"}),
        required=False,
    )


def _tags(html: str) -> str:
    html = html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    return re.sub(r">\s+", ">", re.sub(r"\s+<", "<", html))


def _bound_forms() -> list[forms.Form]:
    values = {
        "text": _TRICKY,
        "email": "a@example.com",
        "number": "12.5",
        "password": "s3cret&",
        "hidden": "x<y",
        "date": "2026-12-04",
        "agreed": "on",
        "note": "line 1\nline <2>",
        "radio": "b",
        "grouped": ["m", "g"],
    }
    return [
        _Everything(auto_id="f-%s"),
        _Everything(auto_id=False),
        _Everything(values, auto_id="g-%s"),
        _Everything({"radio": "nope", "grouped": ["zz"]}, prefix="p"),
        _Everything(initial={"text": 42, "agreed": True, "grouped": ["s"]}),
    ]


def test_every_widget_written_in_python_renders_as_django_s_own_templates():
    from django.forms.renderers import DjangoTemplates, Jinja2

    fast, jinja2, django_templates = FastRenderer(), Jinja2(), DjangoTemplates()
    for form in _bound_forms():
        if form.is_bound:
            form.is_valid()  # the errors' attributes (aria-invalid) too
        for field in form:
            widget = field.field.widget
            attrs = field.build_widget_attrs({}, widget)
            if field.auto_id and "id" not in widget.attrs:
                attrs.setdefault("id", field.auto_id)
            value = field.value()
            rendered = {
                name: widget.render(field.html_name, value, attrs=attrs, renderer=renderer)
                for name, renderer in (
                    ("python", fast),
                    ("jinja2", jinja2),
                    ("django", django_templates),
                )
            }
            assert rendered["python"] == rendered["jinja2"], (field.name, rendered)
            # Django's templates differ only in the white space between the tags, and in how
            # they write an escaped quote.
            assert _tags(rendered["python"]) == _tags(rendered["django"]), field.name
    assert set(FastRenderer()._python) >= {
        "django/forms/widgets/text.html",
        "django/forms/widgets/radio.html",
        "django/forms/widgets/checkbox_select.html",
        "django/forms/widgets/textarea.html",
    }


def test_an_option_with_a_template_of_its_own_is_left_to_jinja2():
    class Custom(forms.RadioSelect):
        option_template_name = "django/forms/widgets/select_option.html"

    widget = Custom(choices=[("a", "A")])
    html = widget.render("c", "a", renderer=FastRenderer())
    assert html == widget.render("c", "a", renderer=forms.renderers.Jinja2())
    assert '<option value="a"' in html
