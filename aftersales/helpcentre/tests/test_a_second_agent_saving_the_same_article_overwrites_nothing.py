"""Two agents open the same article; the first saves. The second's save is refused with a
clear message, nothing of it is saved, what they typed is kept and the first one's version is
shown under the form; saving again, knowing it, replaces that version. The page's version is
the article's `updated_at` (a hidden field), compared under the row's lock."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from aftersales.accounts.choices import Role
from aftersales.accounts.tests.factories import UserFactory
from aftersales.helpcentre.errors import ArticleError
from aftersales.helpcentre.models import Article
from aftersales.helpcentre.services import article_save


def _edit(article: Article) -> str:
    return f"/help/staff/articles/{article.pk}/"


def _form_of(client, article: Article) -> dict:
    """What the edit page sends back untouched (its hidden version included)."""
    form = client.get(_edit(article)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["product_lines"] = [str(pk) for pk in data["product_lines"] or []]
    if not data["published"]:
        del data["published"]
    return {name: ("" if value is None else value) for name, value in data.items()}


@pytest.fixture
def second_agent(db):
    user = UserFactory(email="agent2@example.com", is_staff=True, first_name="Agent")
    user.groups.add(Group.objects.get(name=Role.AGENT.value))
    return user


def test_the_second_save_is_refused_and_keeps_what_was_typed(client, faq, agent, second_agent):
    article = faq[9]
    client.force_login(agent)
    first = _form_of(client, article)
    client.force_login(second_agent)
    second = _form_of(client, article)

    client.force_login(agent)
    first["title_en"] = "Can I renew my plan? (first agent)"
    assert client.post(_edit(article), first).status_code == 302

    client.force_login(second_agent)
    second["body_fr"] = "Réponse du second agent."
    response = client.post(_edit(article), second)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this article after you opened it." in page
    assert "Réponse du second agent." in page  # what they typed, in the form
    meanwhile = page[page.index('id="saved-meanwhile"') :]
    assert "Can I renew my plan? (first agent)" in meanwhile
    article.refresh_from_db()
    assert article.title_en == "Can I renew my plan? (first agent)"
    assert article.body_fr != "Réponse du second agent."

    # Saving again is a choice made with the other version in view: it replaces it.
    again = {name: response.context["form"][name].value() for name in ("version",)}
    second.update(again)
    assert client.post(_edit(article), second).status_code == 302
    article.refresh_from_db()
    assert article.body_fr == "Réponse du second agent."
    assert article.title_en != "Can I renew my plan? (first agent)"


def test_the_refusal_is_in_french_for_a_french_agent(client, faq, agent, second_agent):
    article = faq[9]
    client.force_login(second_agent)
    stale = _form_of(client, article)
    article_save(article=Article.objects.get(pk=article.pk))  # someone saved it since
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.post(_edit(article), stale).content.decode()
    assert "Quelqu&#x27;un d&#x27;autre a enregistré cet article" in page


def test_an_edit_without_its_version_is_refused_at_the_form(client, faq, agent):
    article = faq[9]
    client.force_login(agent)
    data = _form_of(client, article)
    data["version"] = ""
    response = client.post(_edit(article), data)
    assert response.status_code == 200
    assert "Open the article again: the form is out of date." in response.content.decode()


def test_the_service_refuses_a_stale_version_and_saves_nothing(faq):
    article = faq[9]
    seen = article.updated_at
    article_save(article=Article.objects.get(pk=article.pk))
    stale = Article.objects.get(pk=article.pk)
    stale.title_en = "Stale"
    with pytest.raises(ArticleError) as refused:
        article_save(article=stale, expected_updated_at=seen)
    assert refused.value.code == "article_changed"
    assert Article.objects.get(pk=article.pk).title_en != "Stale"
