"""Form widgets are rendered by Django's Jinja2 templates (the same markup, faster); a widget
with no Jinja2 template (the admin's, auth's) by its Django template, so that every admin page
still renders."""

from __future__ import annotations

from django import forms
from django.forms.renderers import get_default_renderer

from aftersales.core.form_renderer import FastRenderer


class _Form(forms.Form):
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


def test_the_site_renders_widgets_with_the_fast_renderer():
    assert isinstance(get_default_renderer(), FastRenderer)


def test_django_s_widgets_come_from_jinja2_and_the_others_from_django_templates():
    renderer = FastRenderer()
    radio = renderer.get_template("django/forms/widgets/radio.html")
    assert type(radio).__module__.startswith("django.template.backends.jinja2")
    password = renderer.get_template("auth/widgets/read_only_password_hash.html")
    assert type(password).__module__.startswith("django.template.backends.django")
    # Asked again: straight to the Django template.
    assert "auth/widgets/read_only_password_hash.html" in renderer._django_only


def test_a_radio_select_renders_the_same_inputs_and_labels():
    html = str(_Form({"choice": "b"}, auto_id="f-%s")["choice"])
    assert '<input type="radio" name="choice" value="b" required id="f-choice_1" checked>' in html
    assert '<label for="f-choice_0">' in html
