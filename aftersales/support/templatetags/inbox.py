"""The inbox's rows, written here once per row rather than by the template engine: a queue
lists 50 tickets, and their cells (a URL, a date, a label and a name each) were most of the
page's time. The same markup the template wrote (`support/inbox/queue.html` holds the table)."""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from aftersales.support.choices import TicketStatus

register = template.Library()

_PLACEHOLDER = "TKT-PLACEHOLDER"
_ROW = (
    '<tr>\n    <td><a href="{url}">{number}</a></td>\n'
    "    <td>{subject}</td><td>{email}</td><td>{status}</td>\n"
    "    <td>{assignee}</td>\n"
    "    <td>{activity}</td>\n"
    "    <td>{first_response}</td>\n"
    "    <td>{resolution}</td>\n"
    "  </tr>"
)


@register.simple_tag
def ticket_rows(rows: Any) -> str:
    """`rows`: (ticket, first response text, resolution text) as the view gives them."""
    url = reverse("support:ticket", args=[_PLACEHOLDER])
    labels = {value: str(label) for value, label in TicketStatus.choices}
    out = []
    for ticket, first_response, resolution in rows:
        number = str(ticket.number)
        assignee = ticket.assignee.display_name if ticket.assignee_id else "—"
        out.append(
            _ROW.format(
                url=escape(url.replace(_PLACEHOLDER, number)),
                number=escape(number),
                subject=escape(ticket.subject),
                email=escape(ticket.email),
                status=escape(labels.get(ticket.status, ticket.status)),
                assignee=escape(assignee or "—"),
                activity=escape(date_format(localtime(ticket.last_activity_at), "DATETIME_FORMAT")),
                first_response=escape(first_response),
                resolution=escape(resolution),
            )
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)
