from io import StringIO

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from aftersales.accounts.demo import DEMO_PASSWORD
from aftersales.accounts.models import Address, User
from aftersales.catalog.models import Component, ProductLine, ProductModel, RepairCentre
from aftersales.catalog.selectors import zone_for_country
from aftersales.demo.loader import load_demo
from aftersales.devices import demo as devices_demo
from aftersales.devices.models import ComponentSerial, Device
from aftersales.plans.models import Offering, Plan, PlanEvent
from aftersales.repairs.models import (
    CaseEvent,
    Evaluation,
    PartUsed,
    Payment,
    Quote,
    QuoteAnswer,
    Reception,
    RepairRequest,
    Replacement,
    ReturnShipment,
)


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Component,
            ProductLine,
            ProductModel,
            RepairCentre,
            Device,
            ComponentSerial,
            User,
            Address,
            Plan,
            PlanEvent,
            # The workshop's demo cases and what was recorded on them.
            RepairRequest,
            CaseEvent,
            Reception,
            Evaluation,
            Quote,
            QuoteAnswer,
            Payment,
            PartUsed,
            Replacement,
            ReturnShipment,
            # Their e-mails and case forms, queued for the worker.
            DBTaskResult,
        )
    }


@pytest.mark.django_db
def test_loading_the_demo_twice_creates_nothing_the_second_time(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        load()
    first = counts()
    assert first["RepairRequest"] >= 14 and first["DBTaskResult"] > first["RepairRequest"]
    with django_capture_on_commit_callbacks(execute=True):
        output = load()
    assert counts() == first
    assert "up to date" in output


@pytest.mark.django_db
def test_the_demo_reproduces_the_seeds_catalogue():
    load()
    assert set(ProductLine.objects.values_list("name", flat=True)) == {
        "Mavic",
        "Spark",
        "Phantom",
        "Inspire",
        "Zenmuse",
        "Osmo",
    }
    inspire = ProductLine.objects.get(code="inspire")
    assert inspire.serial_number_location_fr == (
        "Pour l'Inspire 2, le S/N de l'appareil se trouve sur la queue de l'appareil."
    )
    assert "tail" in inspire.serial_number_location_en
    mini = ProductModel.objects.get(code="mavic-mini")
    assert mini.display_name == "Mavic Mini - The Everyday FlyCam"
    # The catalogue's parts of a model (what the workshop can repair), not what a plan covers.
    assert set(
        ProductModel.objects.get(code="inspire-2").components.values_list("code", flat=True)
    ) == {"aircraft", "propellers", "battery", "remote-controller"}
    assert list(
        ProductModel.objects.get(code="zenmuse-x7").components.values_list("code", flat=True)
    ) == ["gimbal-camera"]
    gimbal = Component.objects.get(code="gimbal-camera")
    assert gimbal.has_serial_number
    assert gimbal.name_fr == "Nacelle et caméra"


def covered(model_code: str) -> set[str]:
    """What the plan sold for a model covers: the components of its offering."""
    offering = Offering.objects.get(product_models__code=model_code)
    return set(offering.components.values_list("code", flat=True))


@pytest.mark.django_db
def test_the_demo_plans_cover_what_faq_7_lists_per_product_line():
    load()
    # FAQ 7: « Gammes Mavic et Spark : Drone, nacelle et caméra liées, batterie et hélices. »
    for model in ("mavic-2-pro", "mavic-2-zoom", "mavic-mini", "spark"):
        assert covered(model) == {"aircraft", "gimbal-camera", "battery", "propellers"}, model
    # « Phantom 4 Pro, Phantom 4 Advanced et Phantom 3 SE : l'appareil, la caméra avec la
    # nacelle, et les hélices. »
    for model in ("phantom-4-pro", "phantom-4-advanced", "phantom-3-se"):
        assert covered(model) == {"aircraft", "gimbal-camera", "propellers"}, model
    # « Pour l'Inspire 2 : l'appareil et les hélices. » (its cameras have plans of their own)
    assert covered("inspire-2") == {"aircraft", "propellers"}
    # « Pour les Zenmuse X4S, le X5S et le X7 : la nacelle et la caméra. »
    for model in ("zenmuse-x4s", "zenmuse-x5s", "zenmuse-x7"):
        assert covered(model) == {"gimbal-camera"}, model


@pytest.mark.django_db
def test_the_demo_has_the_barendrecht_centre_for_europe():
    load()
    centre = RepairCentre.objects.get(name="DJI REPAIR DEPT")
    assert (centre.street, centre.postcode, centre.city, str(centre.country)) == (
        "Bijldorp-Oost 6",
        "2992LA",
        "Barendrecht",
        "NL",
    )
    assert zone_for_country("fr") == centre.zone
    assert zone_for_country("CH").code == "europe"
    assert zone_for_country("US").code == "north-america"


@pytest.mark.django_db
def test_the_demo_devices_are_the_same_on_every_database():
    load()
    serials = sorted(Device.objects.values_list("serial_number", flat=True))
    models = {model.code: model for model in ProductModel.objects.all()}
    # The registry's units come from a seeded generator: the same serials on every database.
    drawn = [device.serial_number for device, _ in devices_demo._random_devices(models)]
    assert drawn == [device.serial_number for device, _ in devices_demo._random_devices(models)]
    assert set(drawn) <= set(serials)
    assert len(serials) >= 300
    assert all(len(serial) == 14 and serial.isalnum() and serial.isupper() for serial in serials)
    assert Device.objects.filter(activated_at__isnull=True).exists()
    assert Device.objects.filter(activated_at__gte=timezone.now() - timezone.timedelta(hours=48))


@pytest.mark.django_db
def test_the_french_customer_has_a_mavic_2_pro_activated_today_and_an_address_in_france():
    load()
    client = User.objects.get(email="client@example.com")
    assert client.preferred_language == "fr"
    assert client.is_email_verified
    assert client.check_password(DEMO_PASSWORD)
    mavic = client.devices.get(model__code="mavic-2-pro")
    assert timezone.now() - mavic.activated_at < timezone.timedelta(hours=24)
    assert mavic.component_serials.filter(component__code="gimbal-camera").exists()
    assert client.devices.filter(model__code="mavic-mini").exists()
    assert client.addresses.get().country == "FR"
    assert User.objects.get(email="customer@example.com").addresses.get().country == "GB"


@pytest.mark.django_db
def test_staff_logins_are_in_their_groups_and_printed():
    output = load()
    admin = User.objects.get(email="admin@example.com")
    assert admin.is_superuser and admin.is_staff
    for role in ("administrator", "agent", "reception", "technician", "analyst"):
        email = "admin@example.com" if role == "administrator" else f"{role}@example.com"
        assert User.objects.get(email=email).groups.filter(name=role).exists()
        assert email in output
    assert DEMO_PASSWORD in output
    validate_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_loading_again_keeps_a_changed_password():
    load()
    user = User.objects.get(email="client@example.com")
    user.set_password("my-own-secret-2026")
    user.save()
    load()
    user.refresh_from_db()
    assert user.check_password("my-own-secret-2026")


@pytest.mark.django_db
def test_the_demo_has_plans_sold_with_devices_and_unused_activation_cards():
    from aftersales.plans import codes
    from aftersales.plans.selectors import plan_for_serial

    summary = load_demo()
    mini = plan_for_serial("2N4MFR0DEMO002")
    assert mini is not None and mini.device.owner.email == "client@example.com"
    zoom = plan_for_serial("0K2ZGB0DEMO002")
    assert zoom is not None and zoom.offering.express_offered
    # The Mavic 2 Pro activated hours ago is left without a plan, for the activation cards.
    assert plan_for_serial("163CFR0DEMO001") is None
    assert len(summary.cards) == 3
    assert all(codes.is_well_formed(codes.normalize_code(card)) for card in summary.cards)
    assert load_demo().cards == summary.cards
    assert summary.cards[0] in load()
