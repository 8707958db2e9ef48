from __future__ import annotations

import factory

from aftersales.catalog.tests.factories import ProductModelFactory
from aftersales.devices.models import Device


class DeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Device

    serial_number = factory.Sequence(lambda n: f"163DG9R00{n:05d}")
    model = factory.SubFactory(ProductModelFactory)
    purchase_country = "FR"
    activated_at = None
