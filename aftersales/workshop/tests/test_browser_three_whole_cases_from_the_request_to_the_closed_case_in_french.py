"""Issue 8's "done when", clicked through real pages in French by each person, from the
customer's request to the closed case:

(a) an accident under a plan: the customer submits → reception scans the case number → a
    technician evaluates (accident, user liability) → quote → the customer chooses the plan's
    replacement → an agent records the fee → the technician records the new unit's serial →
    final checks → shipped → closed; My plans then shows one replacement left on the new serial,
    My products the new unit, and the case's timeline every step;
(b) a manufacturing defect: a free repair under the warranty, no quote; the plan's history shows
    the warranty repair and both replacements still there;
(c) a refused quote: the evaluation fee is recorded and the unit goes back unrepaired.

Each step the customer can see sends exactly one e-mail, in French (read from the captured mail);
steps the customer does not see send none. Every page is checked by axe and for
Content-Security-Policy violations (the browser plugin)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from playwright.sync_api import expect

from aftersales.core.tests.browser.plugin import audit_of, log_in
from aftersales.devices.models import Device
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.models import Plan
from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.models import CaseEvent, RepairRequest
from aftersales.repairs.tests.parcels_cast import centre_with_range
from aftersales.repairs.tests.wizard_cast import *  # noqa: F403

pytestmark = pytest.mark.browser

S = RequestStatus


@pytest.fixture
def page_locale() -> str:
    return "fr-FR"


@pytest.fixture(autouse=True)
def _everyone_in_french(customer, reception, technician, agent) -> None:
    for person in (customer, reception, technician, agent):
        person.preferred_language = "fr"
        person.save(update_fields=["preferred_language"])


@pytest.fixture(autouse=True)
def _centre_ships(repair_centre) -> None:
    """The repair centre's own carrier account has a range of tracking numbers: return labels
    and shipments are made through it."""
    centre_with_range(repair_centre)


@pytest.fixture
def spare(mavic):
    """A new Mavic 2 Pro in the repair centre's stock: in nobody's account."""
    return DeviceFactory(model=mavic, serial_number="163CFAS0NEW0001")


class Mailbox:
    """The customer's e-mails, step by step: each step the customer sees sends exactly one, in
    French; the others send none."""

    def __init__(self, customer) -> None:
        self.address = customer.email
        self.seen = len([m for m in mail.outbox if self.address in m.to])  # the plan's contract
        self.case_number = ""

    def _new(self) -> list:
        mine = [m for m in mail.outbox if self.address in m.to]
        new, self.seen = mine[self.seen :], len(mine)
        return new

    def one(self, *, subject: str = "", about: str = "", body: str = "") -> None:
        """One new e-mail: `subject`, or about the case (« Votre dossier CAS-… : `about` »)."""
        if about:
            subject = f"Votre dossier {self.case_number} : {about}"
        new = self._new()
        assert [m.subject for m in new] == [subject], f"expected one e-mail «{subject}»"
        if body:
            assert body in new[0].body, new[0].body
        # In French: the e-mail's words, not only its subject.
        assert "Bonjour" in new[0].body and "Hello" not in new[0].body, new[0].body

    def submission(self, *, label: bool) -> None:
        """The confirmation, then (guide: within two business days; the tests run the task at
        once) the return label, or the news that the case gets none."""
        new = self._new()
        number = self.case_number
        expected = [
            f"Votre demande de réparation {number} a bien été soumise",
            f"Votre étiquette de retour prépayée pour le dossier {number}"
            if label
            else f"Dossier {number} : pas d’étiquette de retour prépayée",
        ]
        assert [m.subject for m in new] == expected
        assert all("Bonjour" in m.body and "Hello" not in m.body for m in new)

    def none(self) -> None:
        new = self._new()
        assert not new, [m.subject for m in new]


def log_out(page) -> None:
    settled(page)
    page.locator("form[action$='/logout/'] button").click()
    expect(page.locator("form[action$='/logout/']")).to_have_count(0)


def choose(page, name: str, value: str) -> None:
    page.locator(f"input[name='{name}'][value='{value}']").check()


def settled(page) -> None:
    """The page's accessibility check has ended (the plugin also waits for it before the page is
    left)."""
    audit_of(page).wait()


def next_step(page) -> None:
    settled(page)
    page.locator("button.primary[name=action][value=next]").click()


def request_submitted(
    page, customer, *, device, europe, address, problem, description, plan=None, express=False
):
    """The customer files the request through every step of the guide that applies (`express`:
    Express confirmed with the aircraft's serial number), then submits; returns the case."""
    log_in(page, customer)
    settled(page)
    page.goto("/")
    page.locator("#new-repair-request").click()
    expect(page).to_have_url(re.compile(r"/repairs/\d+/zone/$"))
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined")
    page.select_option("#id_zone", str(europe.pk))
    expect(page.locator("#id_country option[value='US']")).to_have_count(0)
    page.select_option("#id_country", "FR")
    next_step(page)

    choose(page, "way", "mine")
    choose(page, "my_device", str(device.pk))
    next_step(page)
    choose(page, "service_type", "repair")
    next_step(page)
    choose(page, "problems", problem)
    page.fill("#id_description", description)
    page.locator("#id_support_contacted").check()
    next_step(page)

    expect(page).to_have_url(re.compile(r"/purchase/$"))
    page.select_option("#id_purchase_channel", "official_store")
    page.fill("#id_received_on", (date.today() - timedelta(days=60)).isoformat())
    if plan is not None:
        page.locator("#id_has_plan").check()
        expect(page.locator("#plan-found")).to_contain_text(plan.offering.name)
    next_step(page)

    # The steps that follow depend on the answers (guide: cause and data analysis for an
    # accident, Express for a plan holder): answer whichever comes, up to the summary.
    for _ in range(6):
        slug = page.url.rstrip("/").rsplit("/", 1)[-1]
        if slug == "summary":
            break
        if slug == "cause":
            choose(page, "accident_cause", "user")
        elif slug == "analysis":
            choose(page, "data_analysis_requested", "no")
        elif slug == "express":
            choose(page, "express_requested", "yes" if express else "no")
            if express:
                page.fill("#id_express_serial_number", device.serial_number)
        elif slug == "shipment":
            choose(page, "shipment", "complete_set")
        elif slug == "address":
            page.locator(f"#id_return_address_{address.pk}").check()
        else:
            raise AssertionError(f"unexpected step {page.url}")
        next_step(page)
    expect(page).to_have_url(re.compile(r"/summary/$"))
    page.locator("#id_terms_accepted").check()
    page.locator("#submit-request").click()
    expect(page.locator("h1")).to_have_text("Demande envoyée !")
    # Express waits for its fee before anything else (seed 001).
    case = RepairRequest.objects.get(
        user=customer, status=S.AWAITING_PAYMENT if express else S.SUBMITTED
    )
    expect(page.locator("#case-number")).to_have_text(case.case_number)
    assert case.language == "fr"
    log_out(page)
    return case


def received_by_scan(page, reception, case) -> None:
    """Reception scans the case form's barcode (typed as a USB scanner types it, then Enter),
    reads the unit's serial number and registers the parcel."""
    log_in(page, reception)
    settled(page)
    page.goto("/workshop/scan/")
    expect(page.locator("#scan-number")).to_be_focused()
    settled(page)
    page.keyboard.type(case.case_number)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/workshop/scan/\?number={case.case_number}$"))
    expect(page.locator("#receive-serial_number_read")).to_be_focused()
    settled(page)
    page.keyboard.type(case.serial_number)
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Le colis est enregistré")
    expect(page.locator("#case-status")).to_contain_text("Colis reçu à l'atelier")
    log_out(page)


def submitted_received_and_opened_by_a_technician(
    page, mails: Mailbox, customer, reception, technician, *, label: bool, **request
) -> RepairRequest:
    """The beginning of every case: the customer files the request (one e-mail, the
    confirmation), reception registers the parcel (one e-mail, with the guide's words), then a
    technician opens the case from the queue of products to evaluate."""
    case = request_submitted(page, customer, **request)
    mails.case_number = case.case_number
    mails.submission(label=label)
    received_by_scan(page, reception, case)
    mails.one(about="Colis reçu à l'atelier", body="Votre colis a été enregistré")
    log_in(page, technician)
    settled(page)
    page.goto("/workshop/queues/to-evaluate/")
    settled(page)
    page.get_by_role("link", name=case.case_number).click()
    return case


def open_case(page, user, case) -> None:
    log_in(page, user)
    settled(page)
    page.goto("/workshop/")
    page.locator("#bar-q").fill(case.case_number)
    settled(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/workshop/cases/{case.case_number}/$"))


def act(page, slug: str, message: str) -> None:
    settled(page)
    page.locator(f"#action-{slug}-submit").click()
    expect(page.locator(".messages")).to_contain_text(message)
    settled(page)


def evaluated(page, case, *, cause: str, liability: str, component) -> None:
    """The technician starts the evaluation, records what was found, and the coverage is
    decided again from it."""
    act(page, "evaluation-start", "L'évaluation a commencé")
    expect(page.locator("#evaluate-findings")).to_be_focused()
    page.keyboard.type("Constat de l'atelier.")
    panel = page.locator("#action-evaluate")
    panel.locator(f"input[name$='damaged_components'][value='{component.pk}']").check()
    panel.locator(f"input[name$='cause'][value='{cause}']").check()
    panel.locator(f"input[name$='liability'][value='{liability}']").check()
    page.fill("#evaluate-labour_hours", "1")
    page.fill("#evaluate-evaluation_hours", "1")
    act(page, "evaluate", "L'évaluation est enregistrée")


def quote_sent(page) -> None:
    price = page.locator("#quote-lines-0-unit_price")
    expect(price).to_be_focused()
    price.fill("120,00")
    page.fill("#quote-message", "Voici notre devis.")
    act(page, "quote", "Le devis est envoyé au client")


def payment_recorded(page, amount: str) -> None:
    panel = page.locator("section[id^='payment-']").first
    expect(panel.locator("h3")).to_contain_text(amount)
    panel.locator("input[name$='amount']").fill(amount)
    panel.locator("select[name$='method']").select_option("bank_transfer")
    panel.locator("input[name$='reference']").fill("VIR-2026-0042")
    settled(page)
    panel.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Le paiement est enregistré")


def shipped_and_closed(page, reception, agent, case, mails: Mailbox) -> None:
    open_case(page, reception, case)
    page.fill("#ship-tracking_number", "1Z999AA10123456784")
    act(page, "ship", "L'expédition est enregistrée")
    expect(page.locator("#case-status")).to_contain_text("Produit renvoyé")
    mails.one(about="Produit renvoyé", body="1Z999AA10123456784")
    log_out(page)

    open_case(page, agent, case)
    act(page, "close", "Le dossier est clôturé")
    mails.one(about="Dossier clôturé")
    log_out(page)


def every_visible_step_had_its_email(case) -> None:
    """The whole case: one e-mail per step the customer sees (the first, the submission, is the
    confirmation with the case form)."""
    visible = CaseEvent.objects.filter(request=case, customer_visible=True).count()
    sent = [
        m
        for m in mail.outbox
        if case.case_number in m.subject and "étiquette de retour" not in m.subject
    ]
    assert len(sent) == visible, [m.subject for m in sent]


def test_a_an_accident_under_a_plan_ends_with_the_plan_on_a_new_unit(
    page,
    customer,
    reception,
    technician,
    agent,
    europe,
    repair_centre,
    components,
    mine,
    plan,
    paris,
    spare,
):
    mails = Mailbox(customer)
    case = submitted_received_and_opened_by_a_technician(
        page,
        mails,
        customer,
        reception,
        technician,
        device=mine,
        europe=europe,
        address=paris,
        problem="accident_damage",
        description="Chute dans un arbre : bras avant cassés.",
        plan=plan,
        label=True,  # a plan case: a prepaid label
    )
    evaluated(page, case, cause="accident", liability="user", component=components["aircraft"])
    mails.one(about="En cours d'évaluation")
    expect(page.locator("#coverage-evaluated")).to_contain_text("Couvert par le forfait")
    quote_sent(page)
    mails.one(about="Devis envoyé : en attente de votre réponse", body="109,00 EUR")
    log_out(page)

    # The customer chooses the plan's replacement, after its confirmation.
    log_in(page, customer)
    settled(page)
    page.goto(f"/repairs/cases/{case.case_number}/")
    page.get_by_role(
        "button", name="Utiliser le remplacement 1 sur 2 de mon forfait (109,00 EUR)"
    ).click()
    page.get_by_role("button", name="Confirmer ma réponse").click()
    expect(page.locator("#status-label")).to_have_text("En attente de votre paiement")
    mails.one(
        about="En attente de votre paiement",
        body="109,00 EUR",
    )
    log_out(page)

    # An agent records the fee received by transfer: the replacement starts.
    open_case(page, agent, case)
    payment_recorded(page, "109,00")
    expect(page.locator("#case-status")).to_contain_text("En cours de remplacement")
    mails.one(
        about="En cours de remplacement au titre de votre forfait",
        body="Nous avons bien reçu votre paiement de 109,00 EUR",
    )
    log_out(page)

    # The technician: the new unit's serial number (an unknown one first, refused at the field
    # with what was typed kept), the final checks.
    open_case(page, technician, case)
    page.fill("#replace-unit-new_serial_number", "163CFAS0UNKNOWN")
    page.locator("#action-replace-unit-submit").click()
    expect(page.locator("#replace-unit-new_serial_number")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.locator("#replace-unit-new_serial_number")).to_have_value("163CFAS0UNKNOWN")
    page.fill("#replace-unit-new_serial_number", spare.serial_number)
    act(page, "replace-unit", "L'appareil est remplacé")
    # The customer is told the new unit's serial number.
    mails.one(
        about="un message de notre atelier",
        body=spare.serial_number,
    )
    act(page, "replacement-done", "Le remplacement est terminé")
    mails.one(about="Contrôles finaux")
    page.locator("#action-quality-check input[value='passed']").check()
    act(page, "quality-check", "Le contrôle est enregistré")
    mails.one(about="Prêt à être renvoyé")
    log_out(page)

    shipped_and_closed(page, reception, agent, case, mails)
    every_visible_step_had_its_email(case)

    # What the customer reads now: the plan on the new unit with one replacement left, the new
    # unit in My products, every step on the case's timeline.
    log_in(page, customer)
    settled(page)
    page.goto("/plans/")
    row = page.locator("main tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(spare.serial_number)
    expect(row).to_contain_text("1 sur 2")
    settled(page)
    page.goto("/products/")
    expect(page.locator("main")).to_contain_text(spare.serial_number)
    expect(page.locator("main")).not_to_contain_text(mine.serial_number)
    settled(page)
    page.goto(f"/repairs/cases/{case.case_number}/")
    history = page.locator("#history tbody tr")
    steps = [
        "Votre demande de réparation a bien été soumise.",
        "Votre colis a été enregistré dans notre atelier.",
        "Un technicien évalue votre produit.",
        "Nous avons évalué votre produit et vous avons envoyé un devis.",
        "Nous attendons votre paiement",
        "Nous avons bien reçu votre paiement de 109,00 EUR",
        f"remplacé par l'appareil portant le numéro de série {spare.serial_number}",
        "Votre produit passe ses contrôles finaux.",
        "Votre produit est prêt à vous être renvoyé.",
        "numéro de suivi 1Z999AA10123456784",
        "Votre dossier est clôturé.",
    ]
    expect(history).to_have_count(len(steps))
    for row, step in enumerate(steps):
        expect(history.nth(row)).to_contain_text(step)
    history = page.locator("#history")
    expect(history).not_to_contain_text("Constat de l'atelier")  # staff's findings stay inside

    plan.refresh_from_db()
    assert plan.device.serial_number == spare.serial_number
    assert plan.replacements_left == 1
    assert Device.objects.get(pk=spare.pk).owner == customer
    assert RepairRequest.objects.get(pk=case.pk).status == S.CLOSED


def test_b_a_manufacturing_defect_is_repaired_free_under_the_warranty(
    page,
    customer,
    reception,
    technician,
    agent,
    europe,
    repair_centre,
    components,
    mine,
    plan,
    paris,
):
    mails = Mailbox(customer)
    case = submitted_received_and_opened_by_a_technician(
        page,
        mails,
        customer,
        reception,
        technician,
        device=mine,
        europe=europe,
        address=paris,
        problem="gimbal_camera",
        description="La nacelle tremble en vol stationnaire.",
        plan=plan,
        label=True,  # likely under the warranty: a prepaid label
    )
    evaluated(
        page,
        case,
        cause="manufacturing_defect",
        liability="product",
        component=components["gimbal-camera"],
    )
    mails.one(about="En cours d'évaluation")
    expect(page.locator("#coverage-evaluated")).to_contain_text("garantie")
    # No quote: the repair is free and starts at once (FAQ 8).
    expect(page.locator("#action-quote")).to_have_count(0)
    act(page, "warranty-repair", "La réparation sous garantie a commencé")
    mails.one(about="En cours de réparation")
    act(page, "repair-done", "La réparation est terminée")
    mails.one(about="Contrôles finaux")
    page.locator("#action-quality-check input[value='passed']").check()
    act(page, "quality-check", "Le contrôle est enregistré")
    mails.one(about="Prêt à être renvoyé")
    log_out(page)

    shipped_and_closed(page, reception, agent, case, mails)
    every_visible_step_had_its_email(case)
    assert not case.quotes.exists()

    # The plan's history: the warranty repair, written by the real path; nothing used.
    log_in(page, customer)
    settled(page)
    page.goto(f"/plans/{plan.pk}/")
    expect(page.locator("main")).to_contain_text("Réparation sous garantie")
    expect(page.locator("main")).to_contain_text(case.case_number)
    settled(page)
    page.goto("/plans/")
    expect(page.locator("main tbody tr")).to_contain_text("2 sur 2")
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.replacements_left == 2
    assert plan.device.serial_number == mine.serial_number


def test_c_a_refused_quote_costs_the_evaluation_fee_and_the_unit_comes_back_unrepaired(
    page, customer, reception, technician, agent, europe, repair_centre, components, mine, paris
):
    mails = Mailbox(customer)
    case = submitted_received_and_opened_by_a_technician(
        page,
        mails,
        customer,
        reception,
        technician,
        device=mine,
        europe=europe,
        address=paris,
        problem="accident_damage",
        description="Tombé sur des rochers.",
        label=False,  # a paid repair: no prepaid label, and the customer is told so
    )
    evaluated(page, case, cause="accident", liability="user", component=components["aircraft"])
    mails.one(about="En cours d'évaluation")
    quote_sent(page)
    mails.one(about="Devis envoyé : en attente de votre réponse")
    log_out(page)

    # The customer refuses: the confirmation says what it costs (the guide: 50 EUR per hour of
    # evaluation).
    log_in(page, customer)
    settled(page)
    page.goto(f"/repairs/cases/{case.case_number}/")
    page.locator("#quote-options button[value='refuse']").click()
    expect(page.locator("#choice-cost")).to_contain_text("50,00 EUR")
    page.get_by_role("button", name="Confirmer ma réponse").click()
    expect(page.locator("#status-label")).to_have_text("Renvoi sans réparation en cours")
    expect(page.locator("#payments-due")).to_contain_text("50,00 EUR")
    mails.one(about="Renvoi sans réparation en cours", body="50,00 EUR")
    log_out(page)

    # The agent records the fee; only then may the unit be shipped back.
    open_case(page, agent, case)
    payment_recorded(page, "50,00")
    mails.one(
        about="paiement reçu",
        body="Nous avons bien reçu votre paiement de 50,00 EUR",
    )
    log_out(page)
    open_case(page, reception, case)
    act(page, "return-ready", "prêt à être renvoyé")
    mails.one(about="Prêt à être renvoyé")
    log_out(page)

    shipped_and_closed(page, reception, agent, case, mails)
    every_visible_step_had_its_email(case)
    case.refresh_from_db()
    assert case.status == S.CLOSED
    payment = case.payments.get()
    assert (payment.purpose, payment.amount, payment.paid_at is not None) == (
        "evaluation_fee",
        50,
        True,
    )
    assert not case.parts_used.exists()
