"""Words for the workshop's pages: a quote's options as recorded (JSON) in the reader's language."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince
from django.utils.timezone import localtime

from aftersales.plans.money import Money
from aftersales.repairs.choices import QuoteOption

register = template.Library()


@register.filter
def option_label(item: dict[str, Any]) -> str:
    try:
        return str(QuoteOption(str(item.get("option"))).label)
    except ValueError:
        return str(item.get("option", ""))


@register.filter
def option_amount(item: dict[str, Any]) -> str:
    try:
        return str(Money(Decimal(str(item.get("amount"))), str(item.get("currency", ""))))
    except (InvalidOperation, TypeError):
        return f"{item.get('amount', '')} {item.get('currency', '')}".strip()


# --- The case lists' rows ---------------------------------------------------------------------
# The queues and the search list up to 50 cases; written by the template engine, their cells
# (a dozen lookups and filters each) were most of a queue page's time. The same markup, written
# here once per row (`_case_table.html` holds the table around them).

_ROW = (
    '<tr{}><td data-label="{}"><a href="{}"><code>{}</code></a></td>'
    '<td data-label="{}">{}</td><td data-label="{}">{}</td><td data-label="{}">{}</td>'
    '<td data-label="{}"><span class="badge{}" data-status="{}">{}</span></td>'
    '<td data-label="{}">{}</td><td data-label="{}">{}</td></tr>\n'
)


def _time(value: Any, text: str) -> Any:
    return format_html('<time datetime="{}">{}</time>', localtime(value).isoformat(), text)


@register.simple_tag(takes_context=True)
def case_rows(context: Any, rows: Any) -> str:
    """The `<tr>` of each row (`selectors.CaseRow`), the cells labelled for the phone layout
    with the column headings the template translated (`l_case`, `l_model`…)."""
    labels = {
        key: str(context[f"l_{key}"])
        for key in ("case", "model", "serial", "customer", "status", "since", "due", "overdue")
    }
    now = timezone.now()
    overdue = format_html(' <span class="badge error">{}</span>', labels["overdue"])
    out = []
    for row in rows:
        status = row.case.status
        serial = format_html("<code>{}</code>", row.serial_number) if row.serial_number else "—"
        since = _time(row.since, timesince(row.since, now)) if row.since else "—"
        if row.due:
            due = _time(row.due, date_format(localtime(row.due), "SHORT_DATETIME_FORMAT"))
            if row.overdue:
                due = format_html("{}{}", due, overdue)
        else:
            due = "—"
        out.append(
            format_html(
                _ROW,
                mark_safe(' class="overdue"') if row.overdue else "",
                labels["case"],
                row.url,
                row.case_number,
                labels["model"],
                row.model or "—",
                labels["serial"],
                serial,
                labels["customer"],
                row.customer,
                labels["status"],
                " ok" if status in ("shipped", "closed") else "",
                status,
                row.status_label,
                labels["since"],
                since,
                labels["due"],
                due,
            )
        )
    return mark_safe("".join(out))  # noqa: S308 (each row escaped by format_html)
