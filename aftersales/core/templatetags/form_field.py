"""One bound form field as every form of the site shows it: label, widget, errors right after
the widget, then help text.

    {% load form_field %}{% form_field form.email %}

Django 5.2 gives the widget aria-invalid and aria-describedby (errors "<id>_error", help text
"<id>_helptext"); the ids below match those. A field required only in some cases (the form sets
`field.conditionally_required` to a text such as "(required if you request the analysis)") gets
the star too, and that text for screen readers. A checkbox comes before its label; a field of
several inputs (radio buttons, checkboxes) is a fieldset whose legend is the label.

Written here rather than as an included template: the include and its dozen lookups per field
cost more than the widget itself (0.14 ms a field), and a form page has up to a dozen fields."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_STAR = ' <span class="required" aria-hidden="true">*</span>'


@register.simple_tag
def form_field(field: BoundField) -> SafeString:
    errors = field.errors
    checkbox = field.widget_type == "checkbox"
    label: str = conditional_escape(field.label)
    if field.field.required:
        label += _STAR
    elif when := getattr(field.field, "conditionally_required", None):
        label += f'{_STAR}<span class="visually-hidden"> {conditional_escape(when)}</span>'
    parts = [
        '<div class="field',
        " has-error" if errors else "",
        " checkbox" if checkbox else "",
        '">\n',
    ]
    if checkbox:
        parts += [str(field), f'\n<label for="{conditional_escape(field.id_for_label)}">']
        parts += [label, "</label>\n"]
    elif field.use_fieldset:
        parts += ["<fieldset>\n<legend>", label, "</legend>\n", str(field), "\n</fieldset>\n"]
    else:
        parts += [f'<label for="{conditional_escape(field.id_for_label)}">', label, "</label>\n"]
        parts += [str(field), "\n"]
    if errors:
        parts += [str(errors), "\n"]
    if field.help_text:
        parts.append(
            f'<p class="help" id="{conditional_escape(field.auto_id)}_helptext">'
            f"{conditional_escape(field.help_text)}</p>\n"
        )
    parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above, or Django's own)
