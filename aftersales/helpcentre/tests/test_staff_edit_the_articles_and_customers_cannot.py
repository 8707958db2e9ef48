"""Agents write and edit articles in the admin (permissions given by migration 0002, and again
by repairs/tests/roles.py after a flush); an edit is searchable at once; customers and staff
without the permission cannot."""

from __future__ import annotations

from aftersales.helpcentre.models import Article
from aftersales.helpcentre.selectors import articles_search

ADD = "/admin/helpcentre/article/add/"


def _form(**fields) -> dict:
    return {
        "slug": "battery-storage",
        "faq_number": "",
        "published": "on",
        "position": "20",
        "action": "",
        "title_fr": "Comment stocker les batteries ?",
        "body_fr": "À moitié chargées, au frais.",
        "keywords_fr": "",
        "title_en": "How do I store the batteries?",
        "body_en": "Half charged, somewhere cool.",
        "keywords_en": "hibernate",
        **fields,
    }


def test_an_agent_writes_an_article_that_search_finds_at_once(client, faq, agent):
    client.force_login(agent)
    response = client.post(ADD, _form())
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="battery-storage")
    assert article.published
    assert [found.article for found in articles_search("hibernate")] == [article]
    assert articles_search("stocker batteries")[0].article == article


def test_an_agent_edits_an_answer_and_unpublishes_it(client, faq, agent):
    client.force_login(agent)
    article = faq[14]
    url = f"/admin/helpcentre/article/{article.pk}/change/"
    assert client.get(url).status_code == 200
    fields = _form(slug=article.slug, faq_number="14", title_en="Is the plan international?")
    del fields["published"]
    assert client.post(url, fields).status_code == 302
    article.refresh_from_db()
    assert article.title_en == "Is the plan international?" and not article.published
    assert all(found.article != article for found in articles_search("international"))


def test_an_agent_may_not_delete_an_article_an_administrator_may(client, faq, agent, administrator):
    url = f"/admin/helpcentre/article/{faq[15].pk}/delete/"
    client.force_login(agent)
    assert client.get(url).status_code == 403
    client.force_login(administrator)
    assert client.get(url).status_code == 200


def test_customers_and_technicians_cannot_edit(client, faq, customer, technician):
    client.force_login(customer)
    assert client.get(ADD).status_code == 302  # the admin's log-in
    client.force_login(technician)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, _form()).status_code == 403
    assert not Article.objects.filter(slug="battery-storage").exists()
