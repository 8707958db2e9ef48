"""The zone step lists the zone's countries by their names in the reader's language (guide,
step 3: « Pays/région »): the order is kept per zone and language, and each language has its
own."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from aftersales.repairs.models import RepairRequest

from .wizard_cast import *  # noqa: F403
from .wizard_cast import step_url

pytestmark = pytest.mark.django_db


def country_options(html: str) -> list[str]:
    select = html.split('name="country"')[1].split("</select>")[0]
    return re.findall(r'<option value="([A-Z]{2})"', select)


def test_the_countries_are_in_the_order_of_their_names_in_each_language(
    customer_client, customer, europe
):
    draft = RepairRequest.objects.create(user=customer, zone=europe)
    orders = {
        # Belgium, France, Germany, Italy, the Netherlands, Spain.
        "en": ["BE", "FR", "DE", "IT", "NL", "ES"],
        # Allemagne, Belgique, Espagne, France, Italie, Pays-Bas.
        "fr": ["DE", "BE", "ES", "FR", "IT", "NL"],
    }
    for _round in range(2):  # the second time from what the first one kept
        for language, order in orders.items():
            customer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            response = customer_client.get(step_url(draft, "zone"))
            assert response.status_code == 200
            assert f'<html lang="{language}">' in response.text
            assert country_options(response.text) == order
