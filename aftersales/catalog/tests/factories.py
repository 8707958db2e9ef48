from __future__ import annotations

import factory

from aftersales.catalog.choices import ModelKind
from aftersales.catalog.models import (
    Component,
    ProductLine,
    ProductModel,
    RepairCentre,
    ServiceZone,
)


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Component
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"component-{n}")
    name_en = factory.Sequence(lambda n: f"Component {n}")
    name_fr = factory.Sequence(lambda n: f"Composant {n}")


class ProductLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductLine
        django_get_or_create = ("code",)

    code = "mavic"
    name = "Mavic"
    serial_number_location_en = "In the battery compartment."
    serial_number_location_fr = "Dans le compartiment de la batterie."


class ProductModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductModel
        django_get_or_create = ("code",)

    code = "mavic-2-pro"
    name = "Mavic 2 Pro"
    line = factory.SubFactory(ProductLineFactory)
    kind = ModelKind.AIRCRAFT


class ServiceZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceZone
        django_get_or_create = ("code",)

    code = "europe"
    name_en = "Europe"
    name_fr = "Europe"
    countries = ["FR", "NL", "DE", "BE", "ES", "IT"]


class RepairCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RepairCentre

    name = "DJI REPAIR DEPT"
    zone = factory.SubFactory(ServiceZoneFactory)
    street = "Bijldorp-Oost 6"
    postcode = "2992LA"
    city = "Barendrecht"
    country = "NL"
