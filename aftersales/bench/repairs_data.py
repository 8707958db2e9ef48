"""The online repair request's benchmark data (issue 4): customers logged in without the login
form, each with one draft answered up to the summary (for the wizard pages) and many more such
drafts to submit, each once (a second submission of a draft returns its case at once, which
would flatter the figure).

Run after `bench_data` (it reuses its devices and plans): `manage.py bench_repairs_data
--output manifest.json`. The manifest gives, per customer, the session and CSRF cookies the load
generator sends and the pk of their draft; and the drafts to submit, in the order to submit them.

Every customer has a verified e-mail address, an address in Paris and an aircraft (accident
damage, so the cause and flight data analysis steps are shown). Every other customer's aircraft
is under an active plan with Express (ticked "I have a service plan": the Express step is shown
too); the others' have no plan.
"""

from __future__ import annotations

import random
import string
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from aftersales.accounts.models import Address, User
from aftersales.catalog.choices import ModelKind
from aftersales.catalog.selectors import zone_for_country
from aftersales.devices.models import Device
from aftersales.plans.models import Plan, PlanDevice
from aftersales.repairs.choices import (
    AbnormalCondition,
    AccidentCause,
    FlightEnvironment,
    Problem,
    PurchaseChannel,
    RequestStatus,
    ServiceType,
    Shipment,
)
from aftersales.repairs.models import RepairRequest

from .data import DEVICE_PREFIX, SEED

EMAIL = "bench-customer-{:03d}@example.com"
AUTH_BACKEND = "aftersales.accounts.backends.PermissionBackend"
# The wizard's steps shown for these drafts, in order (Express only for the plan holders).
STEP_SLUGS = (
    "zone",
    "product",
    "service",
    "problems",
    "purchase",
    "cause",
    "analysis",
    "express",
    "shipment",
    "address",
    "summary",
)
# What the problems step's POST sends (the draft's own answers: it stays complete).
PROBLEMS = [Problem.ACCIDENT_DAMAGE.value, Problem.GIMBAL_CAMERA.value]
DESCRIPTION = "Fell from about two metres after a gust of wind; the gimbal no longer levels."


def bench_repairs_load(*, users: int, submit_drafts: int) -> dict[str, Any]:
    """Creates the customers, their sessions and drafts; returns the manifest."""
    if User.objects.filter(email=EMAIL.format(0)).exists():
        raise ValueError("The repair request benchmark data is already loaded.")
    rng = random.Random(SEED + 4)
    zone = zone_for_country("FR")
    if zone is None:
        raise ValueError("No service zone serves France: load the demo catalogue first.")
    with_plan, without_plan = (users + 1) // 2, users // 2
    plans = _express_plans(with_plan)
    devices = _devices_without_plan(without_plan)
    if len(plans) < with_plan or len(devices) < without_plan:
        raise ValueError("Not enough benchmark devices: run bench_data with more of them.")
    now = timezone.now()
    customers: list[dict[str, Any]] = []
    drafts: list[RepairRequest] = []
    with transaction.atomic():
        for index in range(users):
            plan = plans[index // 2] if index % 2 == 0 else None
            device = plan.device if plan is not None else devices[index // 2]
            user = User(
                email=EMAIL.format(index),
                first_name="Bench",
                last_name=f"Customer {index}",
                preferred_language=("fr", "en")[index % 2],
                email_verified_at=now,
            )
            user.set_unusable_password()  # logged in by session only (below)
            user.save()
            Device.objects.filter(pk=device.pk).update(owner=user, added_to_account_at=now)
            address = Address.objects.create(
                user=user,
                full_name=f"Bench Customer {index}",
                street=f"{index + 1} rue de la Paix",
                postcode="75002",
                city="Paris",
                country="FR",
                phone="+33612345678",
            )
            component = device.model.components.filter(code="gimbal-camera").first()
            answers = _answers(
                zone=zone, device=device, plan=plan, address=address, component=component
            )
            answers["user"] = user
            customers.append(
                {
                    "email": user.email,
                    "session": _session_key(user),
                    "csrf": "".join(rng.choices(string.ascii_letters + string.digits, k=32)),
                    "language": user.preferred_language,
                    "express": plan is not None,
                    "answers": answers,
                }
            )
        # The pages' drafts first, then the drafts to submit, customers taking turns.
        for customer in customers:
            drafts.append(RepairRequest(**customer["answers"]))
        for n in range(submit_drafts):
            drafts.append(RepairRequest(**customers[n % users]["answers"]))
        RepairRequest.objects.bulk_create(drafts, batch_size=1000)
    manifest_users = [
        {key: customer[key] for key in ("email", "session", "csrf", "language", "express")}
        | {"draft": drafts[index].pk}
        for index, customer in enumerate(customers)
    ]
    return {
        "users": manifest_users,
        # [customer index, draft pk]: each submitted once, in this order.
        "submit": [[n % users, drafts[users + n].pk] for n in range(submit_drafts)],
        "problems": PROBLEMS,
        "description": DESCRIPTION,
    }


def _answers(*, zone: Any, device: Device, plan: Plan | None, address: Address, component: Any):
    """A draft answered up to the summary (terms not yet ticked: they are ticked on sending)."""
    answers: dict[str, Any] = {
        "status": RequestStatus.DRAFT,
        "current_step": "summary",
        "zone": zone,
        "country": "FR",
        "device": device,
        "serial_number": device.serial_number,
        "product_model": device.model,
        "service_type": ServiceType.REPAIR,
        "problems": PROBLEMS,
        "description": DESCRIPTION,
        "support_contacted": True,
        "purchase_channel": PurchaseChannel.AUTHORISED_DEALER,
        "received_on": date.today() - timedelta(days=200),
        "has_plan": plan is not None,
        "plan": plan,
        "accident_cause": AccidentCause.USER,
        "return_address": address,
    }
    if plan is not None:
        # Plan holders asked for a flight data analysis and send the defective component.
        answers |= {
            "data_analysis_requested": True,
            "accident_date": date.today() - timedelta(days=3),
            "flight_environment": FlightEnvironment.SEASIDE,
            "abnormal_condition": AbnormalCondition.FALL_WITHOUT_COLLISION,
            "flight_account_email": "pilot@example.com",
            "flight_records_synced": True,
            "express_requested": False,
        }
    if plan is not None and component is not None:
        answers |= {"shipment": Shipment.DEFECTIVE_COMPONENT, "component": component}
    else:
        answers["shipment"] = Shipment.COMPLETE_SET
    return answers


def _express_plans(count: int) -> list[Plan]:
    """Active plans with Express and a replacement left, on benchmark aircraft."""
    today = timezone.localdate()
    return list(
        Plan.objects.select_related("device__model")
        .filter(
            device__serial_number__startswith=DEVICE_PREFIX,
            device__model__kind=ModelKind.AIRCRAFT,
            offering__express_offered=True,
            starts_on__lte=today,
            ends_on__gte=today,
            replacements_used__lt=F("replacements_allowed"),
        )
        .order_by("pk")[:count]
    )


def _devices_without_plan(count: int) -> list[Device]:
    bound = PlanDevice.objects.filter(device=OuterRef("pk"))
    return list(
        Device.objects.select_related("model")
        .filter(serial_number__startswith=DEVICE_PREFIX, model__kind=ModelKind.AIRCRAFT)
        .filter(~Exists(bound))
        .order_by("pk")[:count]
    )


def _session_key(user: User) -> str:
    """A logged-in session, as `django.contrib.auth.login` leaves it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = AUTH_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    assert AUTH_BACKEND in settings.AUTHENTICATION_BACKENDS
    return str(session.session_key)
