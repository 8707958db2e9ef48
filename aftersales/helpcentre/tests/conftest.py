"""The help centre's cast: the FAQ's articles (made by migration 0002, made again here for a
database that a transactional test emptied), a Mavic 2 offering sold in the EU, and the
customer's Mavic 2 Pro bought in France."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.apps import apps
from django.utils import timezone

from aftersales.devices.tests.factories import DeviceFactory
from aftersales.helpcentre.faq import faq_articles_load
from aftersales.helpcentre.models import Article
from aftersales.helpcentre.services import article_search_refresh
from aftersales.plans.choices import BindingChannel
from aftersales.plans.services import plan_bind
from aftersales.plans.tests.factories import OfferingFactory


def at(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def faq(db) -> dict[int, Article]:
    faq_articles_load(apps)
    article_search_refresh()
    return {article.faq_number: article for article in Article.objects.exclude(faq_number=None)}


@pytest.fixture
def offering(db):
    return OfferingFactory()


@pytest.fixture
def device(offering, customer):
    return DeviceFactory(purchase_country="FR", owner=customer, added_to_account_at=timezone.now())


@pytest.fixture
def plan(device, offering):
    return plan_bind(
        serial_number=device.serial_number,
        offering=offering,
        purchase_country="FR",
        channel=BindingChannel.STORE_WITH_DEVICE,
    )
