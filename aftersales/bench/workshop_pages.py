"""What `make bench` reads of the workshop's staff pages before loading them (issue 8): the work
queues the dashboard links to, which role may open each, and the form of a received case's page
that moves it one step with nothing to fill in but the status the page showed.

The pages are written on another branch than the benchmarks, against the URLs of the contract
(`/workshop/`, `/workshop/queues/<queue>/`, `/workshop/cases/<number>/<action>/` with a hidden
`expected_status`): reading the queues' and the action's names from the pages keeps the
benchmark true to them. Plain `urllib` and regular expressions: the pages are our own.
"""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

# The order in which roles are tried for a queue: the first that may open it measures it.
ROLES = ("reception", "technician", "agent", "analyst", "administrator")
QUEUE_LINK = re.compile(r"""href=["'](?:https?://[^/"']+)?/workshop/queues/([\w-]+)/""")
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL | re.IGNORECASE)
FIELD = re.compile(r"<(input|select|textarea|button)\b([^>]*)>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""([\w-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
# Words of an action that starts the evaluation: preferred when several forms would do.
PREFERRED = ("evaluat", "start")


@dataclass(frozen=True)
class WorkshopPages:
    queues: list[tuple[str, str]]  # (queue slug, a role that may open it)
    action: str  # the last part of the path the form posts to
    body: str  # its fields, as a form-encoded body (without the CSRF token)


def attributes(tag: str) -> dict[str, str]:
    found = {}
    for name, double, single, bare in ATTRIBUTE.findall(tag):
        found[name.lower()] = html.unescape(double or single or bare)
    return found


def queue_slugs(page: str) -> list[str]:
    """The queues a page links to, in their order, once each."""
    return list(dict.fromkeys(QUEUE_LINK.findall(page)))


def move_forms(page: str, case_number: str) -> list[tuple[str, str]]:
    """The forms of a case page that post to one of its actions and need nothing typed:
    (action, form-encoded hidden fields). A form with a required visible field, or without the
    hidden `expected_status`, is left out."""
    prefix = f"/workshop/cases/{case_number}/"
    found = []
    for form_attributes, content in FORM.findall(page):
        form = attributes(form_attributes)
        path = urllib.parse.urlsplit(form.get("action", "")).path
        if form.get("method", "get").lower() != "post" or not path.startswith(prefix):
            continue
        action = path[len(prefix) :].strip("/")
        if not action or "/" in action:
            continue
        hidden: list[tuple[str, str]] = []
        typed = False
        for tag, raw in FIELD.findall(content):
            field = attributes(raw)
            kind = field.get("type", "text").lower()
            if tag.lower() == "button" or kind in ("submit", "button", "reset"):
                continue
            if tag.lower() == "input" and kind == "hidden":
                if field.get("name") and field["name"] != "csrfmiddlewaretoken":
                    hidden.append((field["name"], field.get("value", "")))
            elif "required" in field:
                typed = True
        if typed or "expected_status" not in dict(hidden):
            continue
        found.append((action, urllib.parse.urlencode(hidden)))
    return found


def move_form_choose(forms: list[tuple[str, str]], wanted: str | None) -> tuple[str, str]:
    if wanted:
        for action, body in forms:
            if action == wanted:
                return action, body
        raise ValueError(
            f"no form posts to the action {wanted!r} (found: {[a for a, _ in forms] or 'none'})"
        )
    if not forms:
        raise ValueError(
            "a received case's page has no form that moves it with only its hidden "
            "expected_status; name the action with --transition-action"
        )
    for action, body in forms:
        if any(word in action for word in PREFERRED):
            return action, body
    return forms[0]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirection (to the log-in page) is an answer, not a page


def _get(base_url: str, path: str, login: dict[str, str]) -> tuple[int, str]:
    cookie = (
        f"sessionid={login['session']}; csrftoken={login['csrf']}; "
        f"aftersales_language={login['language']}"
    )
    request = urllib.request.Request(base_url + path, headers={"Cookie": cookie})  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


def workshop_pages_find(
    base_url: str, *, staff: dict[str, dict[str, str]], received_case: str, action: str | None
) -> WorkshopPages:
    """Reads the dashboard as each role, then each queue as the first role that may open it,
    then a received case's page as the technician. Raises ValueError with what is missing."""
    slugs: list[str] = []
    for role in ROLES:
        status, page = _get(base_url, "/workshop/", staff[role])
        if status == 200:
            slugs += [slug for slug in queue_slugs(page) if slug not in slugs]
    if not slugs:
        raise ValueError("no link to /workshop/queues/<queue>/ on /workshop/ for any role")
    queues = []
    for slug in slugs:
        opener = next(
            (r for r in ROLES if _get(base_url, f"/workshop/queues/{slug}/", staff[r])[0] == 200),
            None,
        )
        if opener is None:
            raise ValueError(f"no role may open the queue {slug!r}")
        queues.append((slug, opener))
    if not received_case:
        raise ValueError("no received case to move")
    status, page = _get(base_url, f"/workshop/cases/{received_case}/", staff["technician"])
    if status != 200:
        raise ValueError(f"/workshop/cases/{received_case}/ answers {status} to the technician")
    chosen, body = move_form_choose(move_forms(page, received_case), action)
    return WorkshopPages(queues=queues, action=chosen, body=body)
