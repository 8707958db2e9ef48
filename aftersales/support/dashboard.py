"""The support section of the workshop dashboard (issue 10, item 5): the tickets opened in the
dashboard's period, their average first response and resolution in business hours, and how many
still wait for a first reply. Registered with the workshop's dashboard from
`SupportConfig.ready()`: the workshop, below support, never imports it.

The tickets are not a repair centre's: one inbox serves them all, so a period's figures are for
every ticket, whichever centre the dashboard is filtered on (the page says so)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from aftersales.workshop.dashboard import Filters, Section, section_register

from . import selectors

KEY = "support"


def section_values(filters: Filters) -> dict[str, Any]:
    """Plain values (cached with the dashboard's figures): one aggregate query."""
    since, until = filters.bounds
    summary = selectors.measures_summary(selectors.tickets_opened_between(since, until))

    def hours(value: Any) -> float | None:
        return None if value is None else round(value.total_seconds() / 3600, 1)

    return {
        "tickets": summary.tickets,
        "answered": summary.answered,
        "closed": summary.closed,
        "unanswered": summary.unanswered,
        "first_response_hours": hours(summary.first_response_average),
        "resolution_hours": hours(summary.resolution_average),
        "first_response": selectors.duration_text(summary.first_response_average),
        "resolution": selectors.duration_text(summary.resolution_average),
        "centre_chosen": filters.centre is not None,
    }


def section_csv_rows(values: dict[str, Any]) -> list[list[str]]:
    def number(value: Any) -> str:
        return "" if value is None else str(value)

    return [
        [_("Support tickets opened"), "", "", str(values["tickets"])],
        [_("Support tickets answered"), "", "", str(values["answered"])],
        [_("Support tickets not answered yet"), "", "", str(values["unanswered"])],
        [_("Support tickets closed"), "", "", str(values["closed"])],
        [
            _("Average first response (business hours)"),
            "",
            "",
            number(values["first_response_hours"]),
        ],
        [_("Average resolution (business hours)"), "", "", number(values["resolution_hours"])],
    ]


def dashboard_section_register() -> None:
    section_register(
        Section(
            key=KEY,
            template="support/dashboard_section.html",
            values=section_values,
            csv_rows=section_csv_rows,
        )
    )
