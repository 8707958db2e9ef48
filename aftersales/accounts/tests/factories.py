from __future__ import annotations

import factory
from django.utils import timezone

from aftersales.accounts.models import Address, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    preferred_language = "en"
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password("correct-horse-battery")


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    user = factory.SubFactory(UserFactory)
    full_name = "Camille Martin"
    street = "12 rue de la Paix"
    postcode = "75002"
    city = "Paris"
    country = "FR"
    phone = "+33 6 12 34 56 78"
