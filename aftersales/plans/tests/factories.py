from __future__ import annotations

from decimal import Decimal

import factory

from aftersales.catalog.tests.factories import ComponentFactory, ProductModelFactory
from aftersales.plans.models import Offering, OfferingExpressFee, OfferingFee, SalesRegion

EU = ["AT", "BE", "DE", "ES", "FR", "IT", "NL"]


class SalesRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesRegion
        django_get_or_create = ("code",)

    code = "eu"
    name_en = "European Union"
    name_fr = "Union européenne"
    countries = EU


class OfferingFactory(factory.django.DjangoModelFactory):
    """DJI Care Refresh (Mavic 2): Mavic 2 Pro, the four components of FAQ 7, sold in the EU,
    109 EUR then 149 EUR."""

    class Meta:
        model = Offering
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = "care-refresh-mavic-2"
    name_en = "DJI Care Refresh (Mavic 2)"
    name_fr = "DJI Care Refresh (Mavic 2)"
    duration_months = 12
    replacements_allowed = 2
    binding_window_hours = 48
    express_offered = True

    @factory.post_generation
    def product_models(self, create, extracted, **kwargs):
        self.product_models.set(extracted if extracted is not None else [ProductModelFactory()])

    @factory.post_generation
    def components(self, create, extracted, **kwargs):
        if extracted is None:
            extracted = [
                ComponentFactory(code="aircraft", name_en="Aircraft", name_fr="Appareil"),
                ComponentFactory(
                    code="gimbal-camera",
                    name_en="Gimbal and camera",
                    name_fr="Nacelle et caméra",
                    has_serial_number=True,
                ),
                ComponentFactory(code="battery", name_en="Battery", name_fr="Batterie"),
                ComponentFactory(code="propellers", name_en="Propellers", name_fr="Hélices"),
            ]
        self.components.set(extracted)

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        self.regions.set(extracted if extracted is not None else [SalesRegionFactory()])

    @factory.post_generation
    def fees(self, create, extracted, **kwargs):
        # {region: [fee 1, fee 2]}; by default every region of the offering at 109 / 149 EUR.
        if extracted is None:
            extracted = {
                region: [Decimal("109.00"), Decimal("149.00")] for region in self.regions.all()
            }
        for region, amounts in extracted.items():
            for number, amount in enumerate(amounts, start=1):
                OfferingFee.objects.update_or_create(
                    offering=self,
                    region=region,
                    replacement_number=number,
                    defaults={"amount": amount, "currency": "EUR"},
                )
            if self.express_offered:
                OfferingExpressFee.objects.update_or_create(
                    offering=self,
                    region=region,
                    defaults={"amount": Decimal("49.00"), "currency": "EUR"},
                )
