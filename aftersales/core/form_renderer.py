"""How form widgets are rendered: the commonest of Django's widget templates (the inputs, the
text area, radio buttons and check boxes) written in Python below, giving their markup character
for character; Django's own Jinja2 templates for its other widgets (the same markup, about three
times faster than the Django template engine, which counts on pages with dozens of radio buttons
and check boxes); and the Django templates for the widgets that have no Jinja2 template (the
admin's, `django.contrib.auth`'s).

The Python ones follow the templates of `django/forms/jinja2/django/forms/widgets/` exactly
(`input.html`, `attrs.html`, `textarea.html`, `multiple_input.html`, `input_option.html`);
`core/tests/test_form_widgets_render_with_jinja2_and_the_admins_with_django_templates.py`
renders every case with both and compares. They took a third of the time of the reception
form's panel, the page a scanner opens parcel after parcel."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, partial
from typing import Any

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from markupsafe import escape

_WIDGETS = "django/forms/widgets/"


def _attrs(attrs: dict[str, Any]) -> str:
    # attrs.html: a False attribute is left out, a True one written bare.
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict[str, Any]) -> str:
    # input.html
    value = widget["value"]
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
        + ("" if value is None else f' value="{escape(value)}"')
        + f"{_attrs(widget['attrs'])}>"
    )


def _option(option: dict[str, Any]) -> str:
    # input_option.html (radio_option.html and checkbox_option.html include it)
    if not option["wrap_label"]:
        return _input(option)
    label_id = option["attrs"].get("id")
    opening = f'<label for="{escape(label_id)}">' if label_id else "<label>"
    return f"{opening}{_input(option)} {escape(option['label'])}</label>"


_OPTION_TEMPLATES = {f"{_WIDGETS}radio_option.html", f"{_WIDGETS}checkbox_option.html"}


def _multiple_input(widget: dict[str, Any]) -> str | None:
    # multiple_input.html (radio.html and checkbox_select.html include it). None: an option
    # with a template of its own, left to Jinja2.
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{escape(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{escape(attrs["class"])}"')
    parts.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{escape(group)}</label>")
        for option in options:
            if option["template_name"] not in _OPTION_TEMPLATES:
                return None
            parts.append(f"<div>\n    {_option(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _textarea(widget: dict[str, Any]) -> str:
    # textarea.html
    value = widget["value"]
    return (
        f'<textarea name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{escape(value) if value else ''}</textarea>"
    )


# The templates that are input.html and nothing else.
_INPUTS = "input text email number password hidden url search tel date datetime time color"
_INPUTS += " checkbox file"

_PYTHON: dict[str, Callable[[dict[str, Any]], str | None]] = {
    **{f"{_WIDGETS}{name}.html": _input for name in _INPUTS.split()},
    f"{_WIDGETS}textarea.html": _textarea,
    f"{_WIDGETS}radio.html": _multiple_input,
    f"{_WIDGETS}checkbox_select.html": _multiple_input,
    f"{_WIDGETS}multiple_input.html": _multiple_input,
}


class _PythonTemplate:
    """A widget template written in Python, with Jinja2's template as its fallback (a request
    in the context, an option with a template of its own)."""

    def __init__(
        self, write: Callable[[dict[str, Any]], str | None], fallback: Callable[[], Any]
    ) -> None:
        self.write = write
        self.fallback = fallback

    def render(self, context: dict[str, Any] | None = None, request: Any = None) -> str:
        if context is not None and request is None:
            html = self.write(context["widget"])
            if html is not None:
                return html
        return str(self.fallback().render(context, request))


class FastRenderer(BaseRenderer):
    def __init__(self) -> None:
        self._django_only: set[str] = set()
        self._python = {
            name: _PythonTemplate(write, partial(self._jinja2_template, name))
            for name, write in _PYTHON.items()
        }

    def _jinja2_template(self, template_name: str) -> Any:
        return self._jinja2.get_template(template_name)

    @cached_property
    def _jinja2(self) -> Jinja2:
        return Jinja2()

    @cached_property
    def _django(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        if template_name in self._python:
            return self._python[template_name]
        if template_name not in self._django_only:
            try:
                return self._jinja2.get_template(template_name)
            except TemplateDoesNotExist:
                self._django_only.add(template_name)
        return self._django.get_template(template_name)
