"""The demo's people (`manage.py load_demo`): customers with an address each (the two of the
quick start, and the owners of the workshop demo's other cases), and one login per staff role,
all with the printed demo password. Created once, never overwritten."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from .choices import Role
from .models import User
from .services import address_create

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 (printed on purpose: demo logins)

# --- People --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    language: str
    role: str  # a Role value, or "customer"
    is_superuser: bool = False


USERS = [
    DemoUser("client@example.com", "Claire", "Dubois", "fr", "customer"),
    DemoUser("customer@example.com", "Oliver", "Smith", "en", "customer"),
    # Owners of the workshop demo's other cases (aftersales/workshop/demo.py).
    DemoUser("lea@example.com", "Léa", "Martin", "fr", "customer"),
    DemoUser("jan@example.com", "Jan", "de Vries", "en", "customer"),
    DemoUser("elena@example.com", "Elena", "García", "en", "customer"),
    DemoUser("admin@example.com", "Ada", "Admin", "en", Role.ADMINISTRATOR, is_superuser=True),
    DemoUser("agent@example.com", "Sam", "Agent", "en", Role.AGENT),
    DemoUser("reception@example.com", "Rémi", "Reception", "fr", Role.RECEPTION),
    DemoUser("technician@example.com", "Tess", "Technician", "en", Role.TECHNICIAN),
    DemoUser("analyst@example.com", "Ana", "Analyst", "en", Role.ANALYST),
]

# email: (full name, street, postcode, city, country, phone)
ADDRESSES = {
    "client@example.com": (
        "Claire Dubois",
        "12 rue de la Paix",
        "75002",
        "Paris",
        "FR",
        "+33 6 12 34 56 78",
    ),
    "customer@example.com": (
        "Oliver Smith",
        "221B Baker Street",
        "NW1 6XE",
        "London",
        "GB",
        "+44 20 7946 0958",
    ),
    "lea@example.com": (
        "Léa Martin",
        "8 place Bellecour",
        "69002",
        "Lyon",
        "FR",
        "+33 6 98 76 54 32",
    ),
    "jan@example.com": (
        "Jan de Vries",
        "Prinsengracht 263",
        "1016 GV",
        "Amsterdam",
        "NL",
        "+31 6 12345678",
    ),
    "elena@example.com": (
        "Elena García",
        "Calle de Alcalá 42",
        "28014",
        "Madrid",
        "ES",
        "+34 612 345 678",
    ),
}


def load_accounts_demo(created: dict[str, int]) -> dict[str, User]:
    """Creates the demo logins and addresses that are missing; returns the users by e-mail."""
    users = {}
    groups = {group.name: group for group in Group.objects.all()}
    now = timezone.now()
    # Hashed once for all the logins (the same public password): hashing is slow on purpose,
    # half a second each, and load_demo runs on every `make run`.
    password = ""
    for item in USERS:
        user = User.objects.filter(email__iexact=item.email).first()
        if user is None:
            password = password or make_password(DEMO_PASSWORD)
            user = User.objects.create(
                email=item.email,
                password=password,
                first_name=item.first_name,
                last_name=item.last_name,
                preferred_language=item.language,
                email_verified_at=now,
                is_staff=item.role != "customer",
                is_superuser=item.is_superuser,
            )
            created["users"] += 1
        if item.role in groups:
            user.groups.add(groups[item.role])
        users[item.email] = user
    for email, (full_name, street, postcode, city, country, phone) in ADDRESSES.items():
        user = users[email]
        if user.addresses.exists():
            continue
        # Through the service, which checks and normalises like the address book does.
        address_create(
            user=user,
            full_name=full_name,
            street=street,
            postcode=postcode,
            city=city,
            country=country,
            phone=phone,
        )
        created["addresses"] += 1
    return users


def demo_logins() -> list[tuple[str, str, str]]:
    """(e-mail, password, role) of every demo login, as `make run` prints them."""
    return [
        (
            item.email,
            DEMO_PASSWORD,
            "superuser, " + item.role if item.is_superuser else str(item.role),
        )
        for item in USERS
    ]
