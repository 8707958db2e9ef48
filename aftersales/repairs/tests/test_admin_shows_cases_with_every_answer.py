"""Staff see submitted cases in the admin with every answer, attachment and the coverage
decision with its reasoning (issue 4, item 7); drafts are visible but read-only; the roles get
the repairs app as their default permissions (accounts 0004) say."""

from __future__ import annotations

import secrets
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse

from aftersales.accounts.choices import Role
from aftersales.accounts.tests.factories import UserFactory
from aftersales.repairs.choices import AttachmentKind, Problem, RequestStatus
from aftersales.repairs.models import Attachment, CaseEvent, RepairRequest
from aftersales.repairs.tests.factories import RepairRequestFactory, SubmittedCaseFactory

LIST_URL = reverse("admin:repairs_repairrequest_changelist")
STAFF_TEXT = "The ordinary warranty ended on 2025-12-01."
CUSTOMER_TEXT = "The warranty of this product ended on 2025-12-01."


def change_url(repair_request: RepairRequest) -> str:
    return reverse("admin:repairs_repairrequest_change", args=[repair_request.pk])


def staff(role: Role):
    user = UserFactory(email=f"{role.value}-staff@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def case(customer):
    case = SubmittedCaseFactory(
        user=customer,
        serial_number="163DG9R0099999",
        problems=[Problem.WATER_DAMAGE.value, Problem.BATTERY.value],
        description="Fell into the lake.",
        flight_account_email="pilot@example.com",
        return_label_due_by=date(2026, 3, 6),
        coverage={
            "outcome": "not_covered",
            "reasons": [
                {
                    "code": "warranty_expired",
                    "faq": "FAQ 8",
                    "staff_text": STAFF_TEXT,
                    "customer_text": CUSTOMER_TEXT,
                },
                {
                    "code": "no_plan",
                    "faq": "FAQ 11",
                    "staff_text": "No plan is bound to this serial number: paid repair.",
                    "customer_text": "This product has no protection plan, so the repair is paid.",
                },
            ],
            "plan_id": None,
            "fee": None,
            "warranty": {"active": False, "ends_on": "2025-12-01"},
        },
    )
    Attachment.objects.create(
        request=case,
        kind=AttachmentKind.INVOICE,
        token=secrets.token_hex(16),
        file=ContentFile(b"%PDF-1.4\n", name="upload.pdf"),
        extension=".pdf",
        original_name="facture.pdf",
        content_type="application/pdf",
        size=2048,
        sha256="0" * 64,
    )
    CaseEvent.objects.create(request=case, status=RequestStatus.SUBMITTED, note="Checked by AI")
    return case


def test_the_list_shows_number_customer_model_serial_status_date_and_coverage(admin_client, case):
    response = admin_client.get(LIST_URL)

    assert response.status_code == 200
    html = response.content.decode()
    for expected in [
        case.case_number,
        case.user.email,
        case.product_model.display_name,
        "163DG9R0099999",
        "Submitted: waiting for your parcel",
        "Not covered",
    ]:
        assert expected in html, expected


def test_drafts_are_listed_too(admin_client, customer):
    draft = RepairRequestFactory(user=customer)

    html = admin_client.get(LIST_URL).content.decode()

    assert change_url(draft) in html


def test_the_list_reads_a_fixed_number_of_queries(
    admin_client, customer, django_assert_max_num_queries
):
    for _ in range(20):
        SubmittedCaseFactory(user=UserFactory())
        RepairRequestFactory(user=customer)

    with django_assert_max_num_queries(12):
        response = admin_client.get(LIST_URL)

    assert response.status_code == 200


@pytest.mark.parametrize(
    "term",
    [
        lambda case: case.case_number,
        lambda case: case.case_number.lower(),
        lambda case: case.case_number[:-2],  # the beginning of the number
        lambda case: "163DG9R0099999",
        lambda case: "163-DG9R 0099999",  # as printed, with a dash and a space
        lambda case: "ALICE@example.com",
    ],
    ids=["number", "lower-case", "prefix", "serial", "serial-as-printed", "e-mail"],
)
def test_search_finds_a_case_by_number_serial_or_customer_e_mail(
    admin_client, case, other_customer, term
):
    SubmittedCaseFactory(user=other_customer, serial_number="OTHER000001")

    response = admin_client.get(LIST_URL, {"q": term(case)})

    assert list(response.context["cl"].result_list) == [case]


def test_the_filters_narrow_by_status_and_coverage(admin_client, case, customer):
    covered = SubmittedCaseFactory(
        user=customer, status=RequestStatus.RECEIVED, coverage={"outcome": "warranty"}
    )

    by_status = admin_client.get(LIST_URL, {"status__exact": "received"})
    by_coverage = admin_client.get(LIST_URL, {"coverage": "not_covered"})

    assert list(by_status.context["cl"].result_list) == [covered]
    assert list(by_coverage.context["cl"].result_list) == [case]


def test_a_case_shows_every_answer_its_files_history_and_staff_reasoning(admin_client, case):
    response = admin_client.get(change_url(case))

    assert response.status_code == 200
    html = response.content.decode()
    attachment = case.attachments.get()
    for expected in [
        "Zone and country/region (step 3)",
        "What is sent (step 7)",
        "Water damage",
        "Battery malfunction",
        "Fell into the lake.",
        "pilot@example.com",
        "12 rue de la Paix",
        f'href="{reverse("repairs:attachment", args=[attachment.token])}"',
        "facture.pdf",
        "2.0\xa0KB",
        "Checked by AI",
        "Not covered",
        f"FAQ 8: {STAFF_TEXT}",
        "FAQ 11: No plan is bound to this serial number: paid repair.",
        "Warranty ends on: Dec. 1, 2025",  # in the reader's date format
    ]:
        assert expected in html, expected
    assert CUSTOMER_TEXT not in html


def test_cases_are_neither_added_nor_deleted_in_the_admin(admin_client, case):
    assert admin_client.get(reverse("admin:repairs_repairrequest_add")).status_code == 403
    delete = reverse("admin:repairs_repairrequest_delete", args=[case.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert RepairRequest.objects.filter(pk=case.pk).exists()


def test_a_draft_is_read_only(admin_client, customer):
    draft = RepairRequestFactory(user=customer)

    page = admin_client.get(change_url(draft))
    posted = admin_client.post(change_url(draft), {"status": "closed"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert posted.status_code == 403
    draft.refresh_from_db()
    assert draft.status == RequestStatus.DRAFT


def test_the_answers_of_a_case_cannot_be_changed(admin_client, case):
    admin_client.post(
        change_url(case),
        {
            "status": RequestStatus.SUBMITTED,
            "return_label_due_by": "2026-03-06",
            "description": "Rewritten by staff",
            "serial_number": "CHANGED",
            **inline_management_forms(),
        },
    )

    case.refresh_from_db()
    assert case.description == "Fell into the lake."
    assert case.serial_number == "163DG9R0099999"


def inline_management_forms() -> dict[str, str]:
    data = {}
    for prefix in ("attachments", "events"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def test_the_status_is_not_a_field_an_agent_moves_the_case_through_the_lifecycle(client, case):
    """Issue 8: the status is never a free field; the admin offers the moves the table allows
    this role (an agent may cancel a case awaiting its parcel) and makes them through
    `case_transition`, which writes the timeline."""
    agent = staff(Role.AGENT)
    client.force_login(agent)

    page = client.get(change_url(case)).content.decode()
    assert 'name="status"' not in page
    assert '<option value="cancelled">' in page
    response = client.post(
        change_url(case),
        {
            "move_to": RequestStatus.CANCELLED,
            "move_note": "Asked by phone",
            "return_label_due_by": "2026-03-09",
        }
        | inline_management_forms(),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    case.refresh_from_db()
    assert case.status == RequestStatus.CANCELLED
    assert case.return_label_due_by == date(2026, 3, 9)
    event = case.events.get(status=RequestStatus.CANCELLED, kind="status")
    assert event.actor == agent and event.from_status == RequestStatus.SUBMITTED


def test_a_move_the_table_does_not_allow_is_refused_in_the_admin(admin_client, case):
    posted_status = admin_client.post(
        change_url(case), {"status": RequestStatus.CLOSED} | inline_management_forms()
    )
    assert posted_status.status_code == 302  # the status field does not exist: ignored
    response = admin_client.post(
        change_url(case),
        {"move_to": RequestStatus.SHIPPED, "return_label_due_by": ""} | inline_management_forms(),
    )

    assert response.status_code == 200
    assert "move_to" in response.context["adminform"].form.errors
    case.refresh_from_db()
    assert case.status == RequestStatus.SUBMITTED
    assert case.events.count() == 1


def test_a_guard_refusal_in_the_admin_is_a_message_not_a_500(admin_client, case):
    # Receiving needs the reception record, which only the workshop's reception page makes.
    response = admin_client.post(
        change_url(case),
        {"move_to": RequestStatus.RECEIVED, "return_label_due_by": ""} | inline_management_forms(),
        follow=True,
    )

    assert response.status_code == 200
    assert "Record what arrived in the parcel first." in response.content.decode()
    case.refresh_from_db()
    assert case.status == RequestStatus.SUBMITTED


def test_saving_without_a_move_adds_no_history_row(admin_client, case):
    admin_client.post(
        change_url(case), {"return_label_due_by": "2026-03-10"} | inline_management_forms()
    )

    assert case.events.count() == 1


@pytest.mark.parametrize(
    ("role", "can_change"),
    [
        (Role.AGENT, True),
        (Role.RECEPTION, True),
        (Role.TECHNICIAN, True),
        (Role.ANALYST, False),
    ],
)
def test_staff_roles_see_cases_and_most_change_them(client, case, role, can_change):
    client.force_login(staff(role))

    assert client.get(LIST_URL).status_code == 200
    page = client.get(change_url(case))
    assert page.status_code == 200
    assert ('name="_save"' in page.content.decode()) is can_change
    assert client.get(reverse("admin:repairs_repairrequest_add")).status_code == 403


def test_the_administrator_role_has_every_permission_on_repairs(administrator):
    assert administrator.has_perms(
        [
            "repairs.view_repairrequest",
            "repairs.add_repairrequest",
            "repairs.change_repairrequest",
            "repairs.delete_repairrequest",
            "repairs.view_attachment",
            "repairs.view_caseevent",
        ]
    )


def test_customers_have_no_access_to_the_admin(customer_client, case):
    response = customer_client.get(change_url(case))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
