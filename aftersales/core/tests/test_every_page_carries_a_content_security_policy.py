"""Every HTML page of the site, the admin's and the API docs included, answers with the same
Content-Security-Policy: everything from the site itself, no inline script or style, no
plugins, no framing, forms posting to the site only. A URL added to the site must be added
here (or skipped with its reason), so that no page escapes the check."""

from __future__ import annotations

import re
from datetime import date

import pytest
from axes.utils import reset as axes_reset
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from aftersales.accounts.tests.factories import AddressFactory, UserFactory
from aftersales.catalog.tests.factories import RepairCentreFactory
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.payments.models import PaymentAttempt
from aftersales.plans.choices import BindingChannel
from aftersales.plans.services import plan_bind
from aftersales.plans.tests.factories import OfferingFactory
from aftersales.repairs.choices import Problem, Shipment
from aftersales.repairs.tests.factories import RepairRequestFactory, SubmittedCaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("aftersales.core.tests.failing_urls")]

EXPECTED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

STEPS = ["zone", "product", "service", "problems", "purchase", "cause", "analysis", "express",
         "shipment", "address", "summary"]  # fmt: skip

# Routes that never answer an HTML page, or only through another route's page.
NOT_PAGES = {
    "healthz": "JSON for load balancers",
    "set_language": "POST only, redirects",
    "accounts:logout": "POST only, redirects",
    "plans:contract": "a PDF",
    "repairs:case_form": "a PDF",
    "repairs:label": "a parcel label: a PDF, or ZPL for a thermal printer",
    "repairs:attachment": "the uploaded file itself",
    "repairs:submit": "POST only, redirects",
    "repairs:payment_online": "POST only, redirects to the payment provider's page",
    "repairs:payment_notification": "the payment provider's notification: JSON",
    "api:models": "JSON",
    "api:devices": "JSON",
    "api:ping": "JSON",
    "api:offerings": "JSON",
    "api:plans": "JSON",
    "api:plans-activate": "JSON",
    "api:plans-replacements": "JSON",
    "api:devices-coverage": "JSON",
    "api:schema": "the OpenAPI document",
    # A GET of an action goes to its case page (workshop:case, checked); a POST answers it too.
    "workshop:action": "POST only; GET redirects to the case page",
    "workshop:payment": "POST only; GET redirects to the case page",
    "workshop:centre_dashboard_csv": "CSV",
    # The plots are images with a policy of their own (no script; matplotlib's inline styles).
    "workshop:centre_dashboard_plot": "an SVG image, with its own policy",
    # Issue 10: the verification code's picture and sound, the support files, an agent's action.
    "captcha-image": "the verification code's picture (PNG)",
    "captcha-image-2x": "the verification code's picture (PNG)",
    "captcha-audio": "the verification code read aloud (WAV)",
    "captcha-refresh": "JSON",
    "support:follow_file": "the file itself",
    "support:staff_file": "the file itself",
    "support:action": "POST only; answers with the ticket page (support:ticket, checked)",
}


def policy_of(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy"
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def assert_the_sites_policy(response) -> None:
    policy = policy_of(response)
    for directive, sources in EXPECTED.items():
        assert policy.get(directive) == sources, (response.request["PATH_INFO"], directive)
    for sources in policy.values():
        for source in sources:
            # Nothing inline, nothing evaluated, nothing from elsewhere.
            assert source in {"'self'", "'none'", "data:"}, (response.request["PATH_INFO"], source)


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def every_route_name(resolver=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin's pages are walked model by model below
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= every_route_name(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


@pytest.fixture(autouse=True)
def _fresh_axes():
    axes_reset()
    yield
    axes_reset()


@pytest.fixture
def cast(customer):
    """Alice with an address, a product under a plan, a draft that every step applies to, and
    a sent case."""
    offering = OfferingFactory()
    device = DeviceFactory(model=offering.product_models.get(), owner=customer)
    plan = plan_bind(
        serial_number=device.serial_number,
        offering=offering,
        purchase_country="FR",
        channel=BindingChannel.STORE_WITH_DEVICE,
    )
    address = AddressFactory(user=customer)
    draft = RepairRequestFactory(
        user=customer,
        device=device,
        product_model=device.model,
        serial_number=device.serial_number,
        has_plan=True,
        plan=plan,
        problems=[Problem.ACCIDENT_DAMAGE.value],
        purchase_channel="authorised_dealer",
        received_on=date(2026, 1, 20),
        accident_cause="product",
        shipment=Shipment.COMPLETE_SET,
        return_address=address,
        current_step="summary",
    )
    RepairCentreFactory(zone=draft.zone)
    case = SubmittedCaseFactory(user=customer)
    # An online payment started for it (issue 9): the page the customer comes back to.
    attempt = PaymentAttempt.objects.create(
        provider="stripe", reference=case.case_number, purpose="repair", amount=1, currency="EUR"
    )
    return {
        "device": device,
        "plan": plan,
        "address": address,
        "draft": draft,
        "case": case,
        "attempt": attempt,
    }


def customer_pages(cast) -> dict[str, list[str]]:
    """Route name → the URLs of its pages, as a logged-in customer sees them."""
    device, plan, address = cast["device"], cast["plan"], cast["address"]
    draft, case = cast["draft"], cast["case"]
    return {
        "core:home": [reverse("core:home")],
        "accounts:profile": [reverse("accounts:profile")],
        "accounts:signup_done": [reverse("accounts:signup_done")],
        "accounts:password_change": [reverse("accounts:password_change")],
        "accounts:password_change_done": [reverse("accounts:password_change_done")],
        "accounts:address_list": [reverse("accounts:address_list")],
        "accounts:address_create": [reverse("accounts:address_create")],
        "accounts:address_update": [reverse("accounts:address_update", args=[address.pk])],
        "accounts:address_delete": [reverse("accounts:address_delete", args=[address.pk])],
        "accounts:verify_email": [reverse("accounts:verify_email", args=["not-a-token"])],
        "devices:list": [reverse("devices:list")],
        "devices:add": [reverse("devices:add")],
        "devices:detail": [reverse("devices:detail", args=[device.serial_number])],
        "devices:remove": [reverse("devices:remove", args=[device.serial_number])],
        "plans:list": [reverse("plans:list")],
        "plans:activate": [reverse("plans:activate")],
        "plans:detail": [reverse("plans:detail", args=[plan.pk])],
        "repairs:list": [reverse("repairs:list")],
        "repairs:progress": [reverse("repairs:progress")],
        "repairs:case": [reverse("repairs:case", args=[case.case_number])],
        "repairs:confirmation": [reverse("repairs:confirmation", args=[case.case_number])],
        # Without a quote to answer: the case page, saying why.
        "repairs:quote_answer": [
            reverse("repairs:quote_answer", args=[case.case_number]) + "?quote=1&option=repair"
        ],
        "repairs:case_cancel": [reverse("repairs:case_cancel", args=[case.case_number])],
        "repairs:payment_return": [
            reverse("repairs:payment_return", args=[case.case_number, cast["attempt"].token])
        ],
        "repairs:start": [reverse("repairs:start")],
        "repairs:resume": [reverse("repairs:resume", args=[draft.pk])],
        "repairs:draft_delete": [reverse("repairs:draft_delete", args=[draft.pk])],
        "repairs:step": [reverse("repairs:step", args=[draft.pk, step]) for step in STEPS],
        "repairs:address_panel": [reverse("repairs:address_panel", args=[draft.pk])],
        "repairs:recognise_serial": [
            reverse("repairs:recognise_serial") + f"?serial={device.serial_number}"
        ],
        "api:docs": [reverse("api:docs")],
        "support:my_tickets": [reverse("support:my_tickets")],
    }


def visitor_pages() -> dict[str, list[str]]:
    """Route name → its pages as a visitor who is not logged in sees them."""
    return {
        "accounts:signup": [reverse("accounts:signup")],
        "accounts:login": [reverse("accounts:login")],
        "accounts:resend_verification": [],  # POST: see test_the_answers_to_forms_too
        "accounts:password_reset": [reverse("accounts:password_reset")],
        "accounts:password_reset_done": [reverse("accounts:password_reset_done")],
        "accounts:password_reset_confirm": [
            reverse("accounts:password_reset_confirm", args=["MQ", "set-password"])
        ],
        "accounts:password_reset_complete": [reverse("accounts:password_reset_complete")],
        # The help centre (the FAQ's articles are made by its migration 0002).
        "helpcentre:index": [reverse("helpcentre:index"), reverse("helpcentre:index") + "?q=eau"],
        "helpcentre:article": [reverse("helpcentre:article", args=["water-damage"])],
        "helpcentre:serial_numbers": [reverse("helpcentre:serial_numbers")],
        "support:contact": [reverse("support:contact")],
        "support:contact_sent": [reverse("support:contact_sent")],
        "support:suggestions": [reverse("support:suggestions") + "?subject=eau"],
        # A forged link: the "link no longer valid" page (a valid one in staff_pages' ticket).
        "support:follow": [reverse("support:follow", args=["0" * 64])],
    }


def staff_pages(cast) -> dict[str, list[str]]:
    """Route name → the workshop's pages, as an administrator sees them."""
    from aftersales.helpcentre.models import Article
    from aftersales.support.services import ticket_open
    from aftersales.workshop.selectors import QUEUES

    case = cast["case"]
    water_damage = Article.objects.get(slug="water-damage")  # FAQ 13, from migration 0002
    ticket = ticket_open(
        data={"full_name": "A", "continent": "europe", "email": "a@example.com",
              "subject": "S", "description": "D"},
        user=None,
        language="fr",
    )  # fmt: skip
    return {
        "support:inbox": [reverse("support:inbox"), reverse("support:inbox") + "?q=a@example.com"],
        "support:ticket": [reverse("support:ticket", args=[ticket.number])],
        "helpcentre:staff_articles": [
            reverse("helpcentre:staff_articles"),
            reverse("helpcentre:staff_articles") + "?q=eau",
        ],
        "helpcentre:staff_article_new": [reverse("helpcentre:staff_article_new")],
        "helpcentre:staff_article_edit": [
            reverse("helpcentre:staff_article_edit", args=[water_damage.pk])
        ],
        "workshop:dashboard": [reverse("workshop:dashboard")],
        "workshop:queue": [reverse("workshop:queue", args=[queue.slug]) for queue in QUEUES],
        "workshop:search": [
            reverse("workshop:search"),
            reverse("workshop:search") + f"?q={case.serial_number}",
        ],
        "workshop:scan": [reverse("workshop:scan"), reverse("workshop:scan") + "?number=CAS-0"],
        "workshop:case": [reverse("workshop:case", args=[case.case_number])],
        "workshop:receive": [reverse("workshop:receive", args=[case.case_number])],
        "workshop:centre_dashboard": [
            reverse("workshop:centre_dashboard"),
            reverse("workshop:centre_dashboard") + "?start=2026-03-10&end=2026-03-01",
        ],
    }


def test_every_route_is_checked_or_said_not_to_be_a_page(cast):
    checked = (
        set(customer_pages(cast)) | set(visitor_pages()) | set(staff_pages(cast)) | set(NOT_PAGES)
    )

    assert every_route_name() - checked == set(), "add the new pages to this test"


def test_every_customer_page_carries_the_policy(client, customer, cast):
    client.force_login(customer)
    seen = 0
    for name, urls in customer_pages(cast).items():
        for url in urls:
            response = client.get(url, follow=True, HTTP_HX_REQUEST="true")
            assert response.status_code < 500, url
            assert is_html(response), (name, url, response.get("Content-Type"))
            assert_the_sites_policy(response)
            page = client.get(url, follow=True)
            assert_the_sites_policy(page)
            seen += 1
    assert seen >= 35


def test_every_workshop_page_carries_the_policy(client, administrator, cast):
    client.force_login(administrator)
    for urls in staff_pages(cast).values():
        for url in urls:
            response = client.get(url, follow=True)
            assert response.status_code < 500, url
            assert is_html(response), url
            assert_the_sites_policy(response)
    refused = client.post(
        reverse("workshop:action", args=[cast["case"].case_number, "close"]),
        {"expected_status": "submitted"},
    )
    assert refused.status_code == 422
    assert_the_sites_policy(refused)


def test_every_page_for_visitors_carries_the_policy(client):
    for urls in visitor_pages().values():
        for url in urls:
            response = client.get(url, follow=True)
            assert is_html(response), url
            assert_the_sites_policy(response)


def test_the_answers_to_forms_too(client, customer):
    answers = [
        client.post(reverse("accounts:login"), {"username": customer.email, "password": "no"}),
        client.post(reverse("accounts:resend_verification"), {"email": "x@example.com"}),
        client.post(reverse("accounts:signup"), {"email": "not an address"}),
        client.post(reverse("repairs:progress"), {"case_number": "CAS", "email": "x"}),
    ]
    for response in answers:
        assert is_html(response)
        assert_the_sites_policy(response)


def test_error_pages_carry_the_policy(customer, other_customer, cast, settings):
    client = Client(raise_request_exception=False)
    missing = client.get("/no-such-page/")
    broken = client.get("/broken/")
    client.force_login(other_customer)
    someone_elses = client.get(reverse("plans:detail", args=[cast["plan"].pk]))
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_failure = csrf_client.post(reverse("accounts:login"), {})

    for response, status in [
        (missing, 404),
        (broken, 500),
        (someone_elses, 404),
        (csrf_failure, 403),
    ]:
        assert response.status_code == status
        assert is_html(response)
        assert_the_sites_policy(response)
    # The site's own page, not Django's (whose inline style the policy would refuse).
    assert "The form could not be sent" in csrf_failure.content.decode()


def test_the_lock_out_page_carries_the_policy(client, customer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            reverse("accounts:login"), {"username": customer.email, "password": "wrong"}
        )
    assert response.status_code == 429
    assert_the_sites_policy(response)


def test_the_admins_pages_carry_the_policy(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    assert_the_sites_policy(client.get(reverse("admin:login")))
    client.force_login(staff)
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))

    for url in urls:
        response = client.get(url)
        assert response.status_code in {200, 403}, url
        if is_html(response):
            assert_the_sites_policy(response)
    assert len(urls) > 20


def test_no_template_of_a_page_has_an_inline_script_or_style():
    """The policy refuses them: a page that had one would break. E-mails and the PDFs' HTML
    (rendered by WeasyPrint, never served) may."""
    from django.conf import settings

    offenders = []
    roots = [settings.BASE_DIR / "aftersales"]
    for root in roots:
        for path in root.rglob("templates/**/*.html"):
            if "emails" in path.parts or path.name in {
                "contract.html",
                "case_form.html",
                "label.html",
            }:
                continue
            text = path.read_text()
            if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(
                r"<style\b|\sstyle=|\son[a-z]+=", text
            ):
                offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert offenders == []


def test_the_case_form_to_print_goes_without_the_policy(client, customer, cast):
    """Chrome shows a PDF with its own viewer, an <embed> that `object-src 'none'` would
    block: the customer could not print the case form."""
    client.force_login(customer)

    response = client.get(reverse("repairs:case_form", args=[cast["case"].case_number]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Content-Security-Policy" not in response
