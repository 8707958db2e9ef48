"""The staff's article pages (/help/staff/articles/) are for staff holding the help centre's
permissions: agents and administrators by default (migration 0002). Anonymous visitors go to
the log-in page; customers and technicians get 403; the support inbox links there."""

from __future__ import annotations

import pytest

LIST = "/help/staff/articles/"
NEW = "/help/staff/articles/new/"


def _edit(article) -> str:
    return f"/help/staff/articles/{article.pk}/"


def test_anonymous_visitors_are_sent_to_log_in(client, faq):
    for url in (LIST, NEW, _edit(faq[1])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/?next=")


@pytest.mark.parametrize("who", ["customer", "technician", "reception", "analyst"])
def test_customers_and_staff_without_the_permission_get_403(client, faq, who, request):
    client.force_login(request.getfixturevalue(who))
    for url in (LIST, NEW, _edit(faq[1])):
        assert client.get(url).status_code == 403
    assert client.post(NEW, {"title_en": "x"}).status_code == 403
    assert client.post(_edit(faq[1]), {"title_en": "x"}).status_code == 403


@pytest.mark.parametrize("who", ["agent", "administrator"])
def test_agents_and_administrators_open_the_list_and_the_forms(client, faq, who, request):
    client.force_login(request.getfixturevalue(who))
    for url in (LIST, NEW, _edit(faq[1])):
        assert client.get(url).status_code == 200, url


def test_a_staff_member_whose_account_is_not_staff_any_more_gets_403(client, faq, agent):
    agent.is_staff = False
    agent.save(update_fields=["is_staff"])
    client.force_login(agent)
    assert client.get(LIST).status_code == 403


def test_the_support_inbox_links_to_the_articles_for_agents(client, faq, agent):
    client.force_login(agent)
    page = client.get("/support/inbox/").content.decode()
    assert f'href="{LIST}"' in page


def test_the_public_article_links_staff_to_its_form_and_nobody_else(client, faq, agent, customer):
    url = faq[3].get_absolute_url()
    assert _edit(faq[3]) not in client.get(url).content.decode()
    client.force_login(customer)
    assert _edit(faq[3]) not in client.get(url).content.decode()
    client.force_login(agent)
    assert _edit(faq[3]) in client.get(url).content.decode()
