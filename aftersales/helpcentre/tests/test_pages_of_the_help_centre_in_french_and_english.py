"""The help centre's pages: the index with its search box (a plain GET form; htmx asks for the
results only), an article with its action and, for its owner, what it means for their
products; French and English; open to everyone, unpublished articles to staff only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from aftersales.catalog.tests.factories import ProductModelFactory
from aftersales.helpcentre.models import Article


def _fr(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return client


def test_the_index_lists_every_published_answer(client, faq):
    Article.objects.filter(faq_number=15).update(published=False)
    response = client.get("/help/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "What is DJI Care Refresh?" in page
    assert "In which countries is DJI Care Refresh available?" not in page
    assert 'role="search"' in page and 'name="q"' in page


def test_a_search_without_javascript_lists_the_answers_best_first(client, faq):
    page = _fr(client).get("/help/", {"q": "mon drone est tombé dans l'eau"}).content.decode()
    assert "Réponses pour « mon drone est tombé dans l&#x27;eau »" in page
    first = page.index("<ol")
    assert page.index("Mon appareil est tombé dans l&#x27;eau") - first < 200


def test_htmx_gets_the_results_alone(client, faq):
    response = client.get("/help/", {"q": "can I renew my plan"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page
    assert "Can I renew my DJI Care Refresh plan once it expires?" in page


def test_a_search_that_finds_nothing_says_so(client, faq):
    page = client.get("/help/", {"q": "zzyzx"}).content.decode()
    assert "No answer matches these words." in page


def test_a_query_too_long_is_refused_at_the_field_and_nothing_breaks(client, faq):
    response = client.get("/help/", {"q": "eau " * 200})
    assert response.status_code == 200


def test_an_article_in_english_and_french_with_its_action(client, faq):
    page = client.get("/help/buy-and-use-for-mavic-2/").content.decode()
    assert "How do I buy and use DJI Care Refresh for the Mavic 2?" in page
    assert 'href="/plans/activate/"' in page and "Activate a plan" in page
    page = _fr(client).get("/help/buy-and-use-for-mavic-2/").content.decode()
    assert "Comment acheter et utiliser DJI Care Refresh pour le Mavic 2 ?" in page
    assert "Activer un forfait" in page


@pytest.mark.parametrize(
    ("faq_number", "href"),
    [(3, "/plans/activate/"), (10, "/repairs/new/"), (12, "/help/serial-number/")],
)
def test_the_issues_answers_lead_to_their_actions(client, faq, faq_number, href):
    page = client.get(faq[faq_number].get_absolute_url()).content.decode()
    assert f'href="{href}"' in page


def test_where_the_serial_number_is_for_each_product_line(client, faq):
    ProductModelFactory()
    page = _fr(client).get("/help/serial-number/").content.decode()
    assert "Dans le compartiment de la batterie." in page


def test_an_unpublished_article_is_a_404_for_customers_and_shown_to_agents(
    client, faq, customer, agent
):
    Article.objects.filter(faq_number=14).update(published=False)
    url = faq[14].get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(customer)
    assert client.get(url).status_code == 404
    client.force_login(agent)
    page = client.get(url).content.decode()
    assert "Not published: only staff see this article." in page


def test_the_owner_reads_the_binding_window_for_their_device(client, faq, customer, device):
    device.activated_at = timezone.now() - timedelta(days=3)
    device.save()
    client.force_login(customer)
    page = _fr(client).get(faq[6].get_absolute_url()).content.decode()
    assert "Pour vos produits" in page
    assert f"Mavic 2 Pro {device.serial_number} : activé il y a 3" in page
    assert "un forfait ne peut plus être lié (FAQ 6)" in page


def test_a_logged_out_reader_sees_no_personal_answer(client, faq, device):
    page = client.get(faq[6].get_absolute_url()).content.decode()
    assert "For your products" not in page
    assert device.serial_number not in page
    assert 'href="/account/login/?next=/help/binding-window-48-hours/"' in page
    assert "to read what this answer means for each of your products" in page
    # An answer that depends on no device does not ask to log in.
    assert "/account/login/?next" not in client.get(faq[15].get_absolute_url()).content.decode()


def test_the_footer_leads_to_the_help_centre(client, faq):
    assert 'href="/help/"' in client.get("/").content.decode()
