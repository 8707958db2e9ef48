"""The contact form and the private link (anyone), and the agents' inbox (staff who may answer
tickets: `support.answer_ticket`, given to the agents' role by default).

Thin views: who may, the form, one service, redirect or render. A refusal is shown above its
form with everything typed kept; a stranger's ticket is a 404; a forged or revoked private link
is the plain "link no longer valid" page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from aftersales.catalog.selectors import product_lines_with_models
from aftersales.core.http import client_network
from aftersales.core.planning import custom_plans
from aftersales.core.ratelimit import FailureLimit
from aftersales.helpcentre.selectors import ArticleSuggestion, articles_suggest
from aftersales.repairs import lifecycle
from aftersales.repairs.attachments import download_filename
from aftersales.repairs.views.files import download_response

from . import selectors, services
from .choices import TicketStatus
from .errors import TicketError
from .forms import (
    AgentReplyForm,
    AssignForm,
    CannedChoiceForm,
    CaseLinkForm,
    ContactForm,
    NoteForm,
    ReplyForm,
    StatusForm,
)
from .models import CannedAnswer, Ticket, TicketFile

CONTACT_RATE_LIMITED = _(
    "Too many messages from your connection. Please wait an hour and try again, or write to us "
    "by e-mail."
)
PENDING_KEY = "support:pending_files"
SENT_KEY = "support:sent_ticket"


def contact_limit_per_address() -> FailureLimit:
    """Every submission counts against the address, sent or refused (a wrong code too): a
    customer sends a few, a script many. SUPPORT_CONTACT_LIMIT_PER_ADDRESS an hour, read on each
    call (the benchmark's settings raise it: all its requests come from 127.0.0.1)."""
    return FailureLimit(
        scope="support:contact:address",
        limit=settings.SUPPORT_CONTACT_LIMIT_PER_ADDRESS,
        window=3600,
    )


def channels() -> list[dict[str, str]]:
    """The support channels beside the form (configuration; an empty one is not shown)."""
    conf = settings.AFTERSALES
    found = [
        {"kind": "email", "label": gettext("E-mail"), "href": f"mailto:{conf['SUPPORT_EMAIL']}",
         "text": conf["SUPPORT_EMAIL"]},
        {"kind": "chat", "label": gettext("Live chat"), "href": conf["SUPPORT_CHAT_URL"],
         "text": gettext("Open the chat")},
        {"kind": "phone", "label": gettext("Phone"),
         "href": "tel:" + conf["SUPPORT_PHONE"].replace(" ", ""), "text": conf["SUPPORT_PHONE"]},
        {"kind": "forum", "label": gettext("Forum"), "href": conf["SUPPORT_FORUM_URL"],
         "text": gettext("Ask the community")},
    ]  # fmt: skip
    return [c for c in found if c["href"] and c["href"] not in {"tel:", "mailto:"}]


def articles_for(text: str, language: str) -> list[ArticleSuggestion]:
    """The help centre's three best articles for what the customer typed (fewer tickets)."""
    if not text.strip():
        return []
    return articles_suggest(text, language, limit=3)


# --- The contact form ------------------------------------------------------------------------


def _pending_files(request: HttpRequest) -> list[TicketFile]:
    tokens = request.session.get(PENDING_KEY, [])
    if not tokens or not request.session.session_key:
        return []
    return list(
        TicketFile.objects.filter(
            ticket=None, session_key=request.session.session_key, token__in=tokens
        )
    )


def _session_key(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return str(request.session.session_key)


def _typed(request: HttpRequest) -> dict[str, str]:
    """What the visitor typed, to show again in a form that is not checked (a file removed, a
    request past the limit): never the verification code, which is drawn anew."""
    return {
        name: value
        for name, value in request.POST.dict().items()
        if name not in {"captcha_0", "captcha_1", "csrfmiddlewaretoken", "remove_file"}
    }


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    user = request.user
    pending = _pending_files(request)
    status = 200
    refusal = None
    if request.method == "POST" and request.POST.get("remove_file"):
        # A value that is no token names no file (pending_files_drop drops it).
        services.pending_files_drop(
            session_key=_session_key(request), tokens=[request.POST["remove_file"]]
        )
        pending = _pending_files(request)
        form = ContactForm(user=user, file_on_hand=bool(pending), initial=_typed(request))
    elif request.method == "POST":
        address = client_network(request)
        limit = contact_limit_per_address()
        if limit.is_reached(address):
            # Refused before anything is checked: no file is read, no code is compared. What
            # was typed is shown again (the files have to be chosen again).
            form = ContactForm(user=user, file_on_hand=bool(pending), initial=_typed(request))
            refusal = CONTACT_RATE_LIMITED
            status = 429
        else:
            limit.record_failure(address)
            form = ContactForm(request.POST, request.FILES, user=user, file_on_hand=bool(pending))
            if form.is_valid():
                uploaded = form.cleaned_data.get("proof_of_purchase")
                if uploaded:
                    pending = [services.file_store(uploaded_file=uploaded)]
                ticket = services.ticket_open(
                    data=form.cleaned_data,
                    user=user,
                    language=translation.get_language() or settings.LANGUAGE_CODE,
                    pending_files=pending,
                )
                request.session.pop(PENDING_KEY, None)
                request.session[SENT_KEY] = ticket.number
                return redirect("support:contact_sent")
            # A file that passed is kept for the next try (a failed submission loses nothing).
            uploaded = form.cleaned_data.get("proof_of_purchase") if form.cleaned_data else None
            if uploaded and "proof_of_purchase" not in form.errors:
                stored = services.file_store(
                    uploaded_file=uploaded, session_key=_session_key(request)
                )
                request.session[PENDING_KEY] = [stored.token]
                pending = [stored]
                form.fields.pop("proof_of_purchase", None)
            status = 422
    else:
        form = ContactForm(
            user=user, file_on_hand=bool(pending), initial=ContactForm.initial_for(user)
        )
    return render(
        request,
        "support/contact.html",
        {
            "form": form,
            "refusal": refusal,
            "pending": pending,
            "channels": channels(),
            "product_lines": product_lines_with_models(),
        },
        status=status,
    )


@require_safe
def contact_sent(request: HttpRequest) -> HttpResponse:
    number = request.session.get(SENT_KEY)
    if not number:
        return redirect("support:contact")
    return render(request, "support/contact_sent.html", {"number": number})


@require_safe
def suggestions(request: HttpRequest) -> HttpResponse:
    """The help centre's articles for the subject typed so far (htmx, as the customer types)."""
    text = request.GET.get("subject", "")[:200]
    articles = articles_for(text, translation.get_language() or settings.LANGUAGE_CODE)
    return render(request, "support/_suggestions.html", {"articles": articles})


# --- The private link ------------------------------------------------------------------------


def _link_invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "support/link_invalid.html", status=404)


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest, token: str) -> HttpResponse:
    ticket = selectors.ticket_for_link(token) if services.TOKEN_RE.fullmatch(token) else None
    if ticket is None:
        return _link_invalid(request)
    form = ReplyForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.ticket_reply_by_customer(
                    ticket=ticket,
                    body=form.cleaned_data["body"],
                    uploaded_files=form.cleaned_data["attachments"],
                )
            except ValidationError as error:
                form.add_error("attachments", error)
            else:
                messages.success(request, gettext("Your answer has been sent."))
                return redirect("support:follow", token=token)
        status = 422
    response = render(
        request,
        "support/follow.html",
        {
            "ticket": ticket,
            "conversation": selectors.messages_for_customer(ticket),
            "status": selectors.status_for_customer(ticket),
            "form": form,
            "token": token,
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    # The link is the key: never sent to another site (same-origin keeps the form's Origin).
    response["Referrer-Policy"] = "same-origin"
    return response


def download_name(stored: TicketFile) -> str:
    """The customer's name with the extension of the type read from the content when the name
    says otherwise (as the repair request's files: a file never opens as what it is not)."""
    return download_filename(
        stored.original_name, stored.content_type, stored.extension, stem="file"
    )


def _file_response(stored: TicketFile) -> HttpResponseBase:
    return download_response(stored.file, stored.content_type, download_name(stored))


@require_safe
def follow_file(request: HttpRequest, token: str, file_token: str) -> HttpResponseBase:
    ticket = selectors.ticket_for_link(token) if services.TOKEN_RE.fullmatch(token) else None
    if ticket is None:
        return _link_invalid(request)
    if not services.TOKEN_RE.fullmatch(file_token):
        raise Http404
    return _file_response(selectors.file_for_customer(ticket, file_token))


@require_safe
@login_required
def my_tickets(request: HttpRequest) -> HttpResponse:
    rows = [
        (ticket, selectors.status_for_customer(ticket))
        for ticket in selectors.tickets_of(request.user)
    ]
    return render(request, "support/my_tickets.html", {"rows": rows})


# --- The inbox -------------------------------------------------------------------------------


View = Callable[..., HttpResponseBase]


def inbox_page(view: View) -> View:
    """Log-in first, then staff who may answer tickets (403 otherwise)."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not lifecycle.staff_may(request.user, services.ANSWER):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(checked)


@inbox_page
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("queue", "new")
    status = selectors.QUEUE_SLUGS.get(slug)
    if status is None:
        raise Http404
    mine = request.GET.get("mine") == "1"
    query = request.GET.get("q", "")[:100]
    counts = selectors.queue_counts()
    if query.strip():
        with custom_plans():  # planned with the words typed (core.planning)
            tickets: Any = list(selectors.ticket_search(query))
        page = None
    else:
        page = selectors.queue_page(
            status=status,
            page=request.GET.get("page"),
            assignee=request.user if mine else None,
            counts=counts,
        )
        tickets = page.object_list
    rows = []
    for ticket in tickets:
        measures = selectors.stored_measures(ticket)
        rows.append(
            (
                ticket,
                selectors.duration_text(measures.first_response),
                selectors.duration_text(measures.resolution),
            )
        )
    summary = selectors.recent_measures_shown()
    return render(
        request,
        "support/inbox/queue.html",
        {
            "queues": [
                (
                    s.replace("_", "-"),
                    TicketStatus(s).label,
                    None if s not in counts else min(counts[s], selectors.COUNT_CAP),
                    counts.get(s, 0) > selectors.COUNT_CAP,
                )
                for s in selectors.QUEUES
            ],
            "current": slug,
            "current_label": TicketStatus(status).label,
            "page": page,
            "rows": rows,
            "query": query,
            "mine": mine,
            "summary": summary,
            "summary_days": selectors.SUMMARY_DAYS,
            "summary_first_response": selectors.duration_text(summary.first_response_average),
            "summary_resolution": selectors.duration_text(summary.resolution_average),
        },
    )


def _ticket_context(request: HttpRequest, ticket: Ticket, **forms: Any) -> dict[str, Any]:
    canned_body = ""
    canned = CannedChoiceForm(request.GET if "canned" in request.GET else None)
    if canned.is_bound and canned.is_valid():
        canned_body = canned.cleaned_data["canned"].body_in(ticket.language)
    customer = services.ticket_customer_account(ticket)
    measures = selectors.stored_measures(ticket)
    return {
        "ticket": ticket,
        "conversation": selectors.messages_for_staff(ticket),
        "side": selectors.customer_side(ticket, customer),
        "customer_account": customer,
        "measures": {
            "first_response": selectors.duration_text(measures.first_response),
            "resolution": selectors.duration_text(measures.resolution),
        },
        "canned_form": canned,
        "reply_form": forms.get("reply_form")
        or AgentReplyForm(initial={"body": canned_body} if canned_body else None),
        "note_form": forms.get("note_form") or NoteForm(),
        "assign_form": forms.get("assign_form")
        or AssignForm(initial={"assignee": ticket.assignee_id}),
        "status_form": forms.get("status_form") or StatusForm(initial={"status": ticket.status}),
        "case_form": forms.get("case_form") or CaseLinkForm(),
        "has_canned": CannedAnswer.objects.exists(),
        "link_active": bool(ticket.access_token_hash),
    }


@inbox_page
@require_safe
def ticket_detail(request: HttpRequest, number: str) -> HttpResponse:
    ticket = selectors.ticket_for_staff(number)
    return render(request, "support/inbox/ticket.html", _ticket_context(request, ticket))


ACTION_FORMS: dict[str, tuple[str, type[Any] | None]] = {
    "reply": ("reply_form", AgentReplyForm),
    "note": ("note_form", NoteForm),
    "assign": ("assign_form", AssignForm),
    "status": ("status_form", StatusForm),
    "link-case": ("case_form", CaseLinkForm),
    "repair-request": ("", None),
    "revoke-link": ("", None),
    "renew-link": ("", None),
}
DONE_MESSAGES = {
    "reply": _("Reply sent to the customer."),
    "note": _("Internal note added."),
    "assign": _("Assignment saved."),
    "status": _("Status saved."),
    "link-case": _("Ticket linked to the case."),
    "repair-request": _("Repair request started; the customer was sent the link to finish it."),
    "revoke-link": _("The private link no longer works."),
    "renew-link": _("A new private link was sent to the customer."),
}


def _act(action: str, ticket: Ticket, by: Any, data: dict[str, Any]) -> None:
    if action == "reply":
        services.ticket_reply_by_agent(
            ticket=ticket, by=by, body=data["body"], uploaded_files=data["attachments"]
        )
    elif action == "note":
        services.ticket_note_add(
            ticket=ticket, by=by, body=data["body"], uploaded_files=data["attachments"]
        )
    elif action == "assign":
        services.ticket_assign(ticket=ticket, by=by, assignee=data["assignee"])
    elif action == "status":
        services.ticket_status_set(ticket=ticket, by=by, status=data["status"])
    elif action == "link-case":
        services.ticket_case_link(ticket=ticket, by=by, case_number=data["case_number"])
    elif action == "repair-request":
        services.ticket_repair_request_start(ticket=ticket, by=by)
    elif action == "revoke-link":
        services.ticket_link_revoke(ticket=ticket, by=by)
    elif action == "renew-link":
        services.ticket_link_renew(ticket=ticket, by=by)


@inbox_page
@require_POST
def ticket_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    if action not in ACTION_FORMS:
        raise Http404
    ticket = selectors.ticket_for_staff(number)
    name, form_class = ACTION_FORMS[action]
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is None or form.is_valid():
        try:
            _act(action, ticket, request.user, form.cleaned_data if form else {})
        except TicketError as refused:
            if form is None:
                messages.error(request, refused.message)
                return redirect(ticket)
            form.add_error(None, refused.message)
        except ValidationError as error:
            if form is None:
                raise
            form.add_error(None, error)
        else:
            messages.success(request, DONE_MESSAGES[action])
            return redirect(ticket)
    assert form is not None
    context = _ticket_context(request, ticket, **{name: form})
    return render(request, "support/inbox/ticket.html", context, status=422)


@inbox_page
@require_safe
def staff_file(request: HttpRequest, token: str) -> HttpResponseBase:
    if not services.TOKEN_RE.fullmatch(token):
        raise Http404
    return _file_response(selectors.file_for_staff(token))
