"""The refusals of the plan rules: a stable machine code (the API answers it as `code`) and a
translated message in plain words (the API's `detail`, the page's error)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from aftersales.core.errors import DomainError, NotFoundError
from aftersales.devices.errors import DEVICE_UNKNOWN

# Every code a plan service can refuse with, and the customer-facing message. The API docs list
# these; codes never change once published.
RULE_MESSAGES: dict[str, Any] = {
    "device_unknown": DEVICE_UNKNOWN,
    "offering_unknown": _("We do not know a plan with this code."),
    "offering_unavailable": _("This plan is not on sale."),
    "model_not_covered": _("This plan is not sold for this model (%(model)s)."),
    # With the window's length, the message of COUNTED_MESSAGES is used.
    "binding_window_passed": _(
        "A plan can only be added to a device that is not activated yet, or that was activated "
        "only shortly before the plan was bought."
    ),
    "already_has_plan": _(
        "This device already has a plan. Each device can have only one plan, and a plan cannot "
        "be renewed."
    ),
    "region_mismatch": _("The plan and the device must be bought in the same country or region."),
    "not_sold_in_country": _("This plan is not sold in this country or region."),
    "country_in_other_region": _("Already in another sales region: %(countries)s."),
    "code_invalid": _("This activation code is not valid. Check it and try again."),
    "code_used": _("This activation code has already been used."),
    "code_wrong_offering": _(
        "This activation code is for %(offering)s, which does not cover this device (%(model)s)."
    ),
    "plan_expired": _("This plan has expired."),
    "plan_not_started": _("This plan has not started yet."),
    "no_replacements_left": _("This plan has no replacement left."),
    "no_fee_for_replacement": _("The plan's contract names no fee for this replacement."),
    "component_not_covered": _("This plan does not cover this part (%(component)s)."),
    "component_has_no_serial_number": _("This part (%(component)s) has no serial number."),
    "component_serial_in_use": _("This part's serial number is fitted on another unit."),
    "component_serial_required": _(
        "Enter the serial number of the new part (%(component)s): the plan follows it."
    ),
    "gimbal_model_mismatch": _(
        "A gimbal is replaced only by a gimbal of the same model (%(model)s)."
    ),
    "replacement_device_unavailable": _(
        "The replacement unit must be a registered unit that has never had a plan."
    ),
    "replacement_model_mismatch": _("The replacement unit must be of the same model (%(model)s)."),
    # A replacement replaces the unit the plan covers now, the one the repair case is about.
    "replaced_unit_not_covered": _(
        "The unit of this repair case is not the one this plan covers now."
    ),
}

# Messages with a count: singular or plural as the count (the named parameter) says. Used when
# the refusal gives that parameter; RULE_MESSAGES (and the API docs) has a wording without it.
COUNTED_MESSAGES: dict[str, tuple[Any, str]] = {
    "binding_window_passed": (
        ngettext_lazy(
            "A plan can only be added to a device that is not activated yet, or that was "
            "activated less than %(hours)s hour before the plan was bought.",
            "A plan can only be added to a device that is not activated yet, or that was "
            "activated less than %(hours)s hours before the plan was bought.",
            "hours",
        ),
        "hours",
    ),
}


class PlanRuleError(DomainError):
    """A plan rule refused the request. `code` is stable; `message` is translated."""

    messages = RULE_MESSAGES

    @classmethod
    def message_for(cls, code: str, params: Mapping[str, Any]) -> str:
        template, count = COUNTED_MESSAGES.get(code, (RULE_MESSAGES[code], ""))
        if count and count not in params:
            template = RULE_MESSAGES[code]
        return str(template % params if params else template)


class PlanNotFound(NotFoundError):
    """The plan a URL names does not exist."""

    messages = {"plan_unknown": _("We do not know a plan with this reference.")}
