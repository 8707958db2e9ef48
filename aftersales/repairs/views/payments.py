"""Paying a case online (issue 9): the case page's "pay online" button, the page the customer
comes back to from the provider's, and the provider's notification (webhook)."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from aftersales.payments import services as payment_services
from aftersales.payments.choices import AttemptStatus
from aftersales.payments.errors import NotificationRefused, PaymentError
from aftersales.plans.money import Money

from .. import paying, selectors
from ..errors import CaseWorkError
from .cases import case_page


class OnlinePaymentForm(forms.Form):
    provider = forms.CharField(max_length=30)


@login_required
@require_POST
def payment_online(request: HttpRequest, case_number: str, payment_id: int) -> HttpResponse:
    """Starts the payment with the provider and sends the customer to its page. Only the
    customer's own case (another's is a 404) and a payment due on it."""
    case = selectors.case_page_of(request.user, case_number)
    form = OnlinePaymentForm(request.POST)
    if not form.is_valid():
        return redirect(case)

    def urls(token: str) -> tuple[str, str]:
        back = request.build_absolute_uri(
            reverse("repairs:payment_return", args=[case.case_number, token])
        )
        return back, f"{back}?cancelled=1"

    try:
        attempt = paying.payment_online_start(
            case=case,
            payment_id=payment_id,
            provider_code=form.cleaned_data["provider"],
            by=request.user,
            urls=urls,
        )
    except (CaseWorkError, PaymentError) as error:
        case = selectors.case_page_of(request.user, case_number)
        return case_page(request, case, error=error.message, status=409)
    return HttpResponseRedirect(attempt.redirect_url)


@login_required
@require_GET
def payment_return(request: HttpRequest, case_number: str, token: uuid.UUID) -> HttpResponse:
    """Where the provider's page sends the customer back. It says what is true now: confirmed
    once the provider's notification has arrived, else waiting for it (the customer's coming
    back proves nothing), or not paid when they left the payment page."""
    case = selectors.case_page_of(request.user, case_number)
    attempt = paying.attempt_of(case, token)
    if attempt is None:
        raise Http404
    amount = Money(amount=attempt.amount, currency=attempt.currency)
    if attempt.status in (AttemptStatus.CONFIRMED, AttemptStatus.REFUNDED):
        notice = gettext("Your payment of %(amount)s is confirmed. Thank you.") % {"amount": amount}
    elif request.GET.get("cancelled"):
        notice = gettext(
            "You left the payment page: nothing was paid. You may pay online again, or by "
            "bank transfer."
        )
    else:
        payment_services.attempt_returned(attempt=attempt)
        notice = gettext(
            "Your payment of %(amount)s is being confirmed by the payment service. The work "
            "starts once its confirmation reaches us, usually within a minute: refresh this page "
            "to see it."
        ) % {"amount": amount}
    return case_page(
        request, case, notice=notice, notice_pending=attempt.status == AttemptStatus.PENDING
    )


@csrf_exempt
@require_POST
def payment_notification(request: HttpRequest, provider: str) -> HttpResponse:
    """The provider's notification (Stripe's webhook). 400 when it is not believed (bad
    signature, a replay older than the tolerance, unreadable, an unknown provider): nothing is
    recorded. 200 otherwise, recorded once by its event id, whatever it was about."""
    try:
        outcome = paying.payment_notification_receive(
            provider_code=provider, body=request.body, headers=request.headers
        )
    except NotificationRefused as error:
        return JsonResponse({"code": error.code, "detail": str(error.message)}, status=400)
    return JsonResponse({"outcome": outcome})
