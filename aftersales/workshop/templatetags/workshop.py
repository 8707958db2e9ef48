"""Words for the workshop's pages: a quote's options as recorded (JSON) in the reader's language."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.timesince import TIME_STRINGS, timesince

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
    '<tr{overdue_class}><td data-label="{l_case}"><a href="{url}"><code>{number}</code></a></td>'
    '<td data-label="{l_model}">{model}</td><td data-label="{l_serial}">{serial}</td>'
    '<td data-label="{l_customer}">{customer}</td>'
    '<td data-label="{l_status}"><span class="badge{ok}" data-status="{status}">{status_label}'
    "</span></td>"
    '<td data-label="{l_since}">{since}</td><td data-label="{l_due}">{due}</td></tr>\n'
)


def _time(local: Any, text: str) -> str:
    return f'<time datetime="{escape(local.isoformat())}">{escape(text)}</time>'


class _Counted:
    """One of Django's `timesince` units ("%(num)d day"…), each count's words translated once
    per list: each `%` of the lazy plural looked the language up again, a third of a row's
    time."""

    def __init__(self, plural: Any) -> None:
        self.plural = plural
        self.said: dict[int, str] = {}

    def __mod__(self, values: dict[str, int]) -> str:
        number = values["num"]
        said = self.said.get(number)
        if said is None:
            said = self.said[number] = str(self.plural % values)
        return said


def _units() -> dict[str, _Counted]:
    return {unit: _Counted(plural) for unit, plural in TIME_STRINGS.items()}


@register.simple_tag(takes_context=True)
def case_rows(context: Any, rows: Any) -> str:
    """The `<tr>` of each row (`selectors.CaseRow`), the cells labelled for the phone layout
    with the column headings the template translated (`l_case`, `l_model`…). Every value is
    escaped here (`html.escape`, as Django's `escape`), the markup written with `str.format`:
    `format_html`'s checks on each of the 50 rows' dozen values were a good part of a page."""
    labels = {
        f"l_{key}": escape(str(context[f"l_{key}"]))
        for key in ("case", "model", "serial", "customer", "status", "since", "due")
    }
    now = timezone.now()
    overdue = f' <span class="badge error">{escape(str(context["l_overdue"]))}</span>'
    # What every row would look up again: the reader's time zone, format and words.
    zone = timezone.get_current_timezone()
    short = get_format("SHORT_DATETIME_FORMAT")
    units = _units()
    out = []
    for row in rows:
        status = row.status
        serial = f"<code>{escape(row.serial_number)}</code>" if row.serial_number else "—"
        since = "—"
        if row.since:
            # Django only applies `%` to the units (typed as str in its stubs).
            words = timesince(row.since, now, time_strings=units)  # type: ignore[arg-type]
            since = _time(row.since.astimezone(zone), words)
        if row.due:
            local = row.due.astimezone(zone)
            due = _time(local, format_date(local, short))
            if row.overdue:
                due += overdue
        else:
            due = "—"
        out.append(
            _ROW.format(
                overdue_class=' class="overdue"' if row.overdue else "",
                url=escape(row.url),
                number=escape(row.case_number),
                model=escape(row.model) if row.model else "—",
                serial=serial,
                customer=escape(row.customer),
                ok=" ok" if status in ("shipped", "closed") else "",
                status=escape(status),
                status_label=escape(row.status_label),
                since=since,
                due=due,
                **labels,
            )
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)
