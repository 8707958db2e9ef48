"""The demo data of the quick start (`manage.py load_demo`): each app's `demo.py` builds its own
objects; this module runs them in the order of the dependencies and says what it made.

Everything is created by natural key and never overwritten, so loading it again (on every
`make run`) changes nothing, and a demo password or catalogue entry edited since stays edited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from aftersales.accounts.demo import demo_logins, load_accounts_demo
from aftersales.catalog.demo import load_catalog_demo
from aftersales.devices.demo import load_devices_demo
from aftersales.plans.demo import load_demo_cards, load_demo_plans, load_plans_demo
from aftersales.support.demo import load_support_demo
from aftersales.workshop.demo import DemoCaseLine, load_workshop_demo


@dataclass
class DemoSummary:
    created: dict[str, int]
    logins: list[tuple[str, str, str]]  # (e-mail, password, role)
    free_serials: list[str]  # unowned units a customer can add to try "My products"
    plans: dict[str, int]  # what the plans app's demo holds (regions, offerings)
    cards: list[str] = field(default_factory=list)  # unused activation codes to try
    cases: list[DemoCaseLine] = field(default_factory=list)  # the workshop's demo cases
    tickets: list[str] = field(default_factory=list)  # the support inbox's demo tickets


@transaction.atomic
def load_demo() -> DemoSummary:
    created: dict[str, int] = dict.fromkeys(
        [
            "components",
            "product lines",
            "models",
            "service zones",
            "repair centres",
            "users",
            "addresses",
            "devices",
            "plans",
            "cases",
            "tickets",
        ],
        0,
    )
    models = load_catalog_demo(created)
    plans = load_plans_demo()
    users = load_accounts_demo(created)
    free_serials = load_devices_demo(models, users, created)
    created["plans"] = load_demo_plans()
    cards = load_demo_cards()
    cases = load_workshop_demo(created)
    tickets = load_support_demo(created)
    return DemoSummary(
        created=created,
        logins=demo_logins(),
        free_serials=free_serials,
        plans=plans,
        cards=cards,
        cases=cases,
        tickets=tickets,
    )
