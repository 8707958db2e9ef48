"""The demo data of seed 000: sales regions of FAQ 15, the offerings and their fees."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.catalog.choices import ModelKind
from aftersales.catalog.tests.factories import (
    ComponentFactory,
    ProductLineFactory,
    ProductModelFactory,
)
from aftersales.plans.demo import load_plans_demo
from aftersales.plans.models import Offering, OfferingExpressFee, OfferingFee, SalesRegion


@pytest.fixture
def catalogue(db):
    for code in ["aircraft", "gimbal-camera", "battery", "propellers", "remote-controller"]:
        ComponentFactory(code=code)
    mavic = ProductLineFactory(code="mavic", name="Mavic")
    inspire = ProductLineFactory(code="inspire", name="Inspire")
    osmo = ProductLineFactory(code="osmo", name="Osmo")
    ProductModelFactory(code="mavic-2-pro", name="Mavic 2 Pro", line=mavic)
    ProductModelFactory(code="mavic-2-zoom", name="Mavic 2 Zoom", line=mavic)
    ProductModelFactory(code="inspire-2", name="Inspire 2", line=inspire)
    ProductModelFactory(code="osmo", name="Osmo", line=osmo, kind=ModelKind.HANDHELD)


def test_the_demo_creates_the_sales_regions_of_faq_15(catalogue):
    load_plans_demo()

    regions = {region.code: region.country_codes for region in SalesRegion.objects.all()}
    assert set(regions) == {"us", "ca", "eu", "ch", "no", "gb", "au", "hk", "tw", "cn"}
    assert len(regions["eu"]) == 27
    assert {"FR", "DE", "NL"} <= regions["eu"]
    assert regions["ch"] == {"CH"}
    assert regions["gb"] == {"GB"}


def test_the_demo_creates_the_mavic_2_offering(catalogue):
    load_plans_demo()

    mavic = Offering.objects.get(code="care-refresh-mavic-2")
    assert mavic.name_en == "DJI Care Refresh (Mavic 2)"
    assert set(mavic.product_models.values_list("code", flat=True)) == {
        "mavic-2-pro",
        "mavic-2-zoom",
    }
    assert set(mavic.components.values_list("code", flat=True)) == {
        "aircraft",
        "gimbal-camera",
        "battery",
        "propellers",
    }
    assert (mavic.duration_months, mavic.replacements_allowed) == (12, 2)
    assert mavic.express_offered
    eu_fees = OfferingFee.objects.filter(offering=mavic, region__code="eu")
    assert [(f.amount, f.currency) for f in eu_fees] == [
        (Decimal("109.00"), "EUR"),
        (Decimal("149.00"), "EUR"),
    ]
    assert (
        OfferingFee.objects.get(offering=mavic, region__code="gb", replacement_number=1).currency
        == "GBP"
    )
    assert OfferingExpressFee.objects.get(offering=mavic, region__code="eu").amount == Decimal("49")


def test_the_inspire_2_plan_covers_the_aircraft_and_propellers_only(catalogue):
    load_plans_demo()

    inspire = Offering.objects.get(code="care-refresh-inspire-2")
    assert set(inspire.components.values_list("code", flat=True)) == {"aircraft", "propellers"}


def test_the_osmo_has_a_30_day_binding_window(catalogue):
    load_plans_demo()

    assert Offering.objects.get(code="care-refresh-osmo").binding_window_hours == 720


def test_the_demo_skips_models_the_catalogue_does_not_have(catalogue):
    load_plans_demo()

    assert not Offering.objects.filter(code="care-refresh-spark").exists()


def test_the_demo_can_run_twice(catalogue):
    first = load_plans_demo()
    counts = (SalesRegion.objects.count(), Offering.objects.count(), OfferingFee.objects.count())

    assert load_plans_demo() == first
    assert (
        SalesRegion.objects.count(),
        Offering.objects.count(),
        OfferingFee.objects.count(),
    ) == counts
    assert first == {"regions": 10, "offerings": 3}


def test_the_demo_runs_on_an_empty_catalogue(db):
    assert load_plans_demo() == {"regions": 10, "offerings": 0}
