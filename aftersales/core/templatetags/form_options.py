"""One radio button or checkbox of a choice field written by hand in a template, tied to the
field's error list.

Django gives each option `aria-invalid` when the field has errors, but no `aria-describedby`
for widgets shown in a fieldset. For lists laid out by hand:

    {% option_tag option described_by="problems_error" %}

outputs the option's input (as `{{ option.tag }}`) with `aria-describedby` and
`aria-invalid="true"` when `described_by` is given, i.e. when the field has errors.
"""

from __future__ import annotations

from django import template
from django.forms.boundfield import BoundWidget
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def option_tag(option: BoundWidget, described_by: str = "") -> SafeString:
    if not described_by:
        return option.tag()
    data = {**option.data, "attrs": {**option.data["attrs"]}}
    attrs = data["attrs"]
    attrs["aria-invalid"] = "true"
    attrs["aria-describedby"] = " ".join(
        part for part in (attrs.get("aria-describedby", ""), described_by) if part
    )
    return BoundWidget(option.parent_widget, data, option.renderer).tag()
