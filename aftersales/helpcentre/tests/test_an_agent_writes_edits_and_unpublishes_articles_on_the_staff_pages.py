"""Agents write and edit the help centre's articles on real pages (not the admin): both titles,
answers and keyword lists, product lines, action, published, position. A save is found by
search at once by its new words (stored vectors on PostgreSQL, the remembered results
forgotten); an unpublished article is a 404 and leaves the search; a missing text is said at
its field with everything typed kept; the preview shows the public rendering without saving;
the pages speak French."""

from __future__ import annotations

from html import unescape
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.catalog.tests.factories import ProductLineFactory
from aftersales.helpcentre.forms import ArticleForm
from aftersales.helpcentre.models import Article
from aftersales.helpcentre.selectors import articles_search
from aftersales.helpcentre.services import article_save

LIST = "/help/staff/articles/"
NEW = "/help/staff/articles/new/"
TEXTS = ("title_fr", "body_fr", "keywords_fr", "title_en", "body_en", "keywords_en", "action")


def _edit(article: Article) -> str:
    return f"/help/staff/articles/{article.pk}/"


def _fields(article: Article | None = None, **changes) -> dict:
    """The form as the page sends it: an article's saved values (or a new one's), changed."""
    if article is None:
        fields = {
            "slug": "",
            "title_fr": "Comment stocker les batteries ?",
            "body_fr": "À moitié chargées, au frais.",
            "keywords_fr": "hivernage",
            "title_en": "How do I store the batteries?",
            "body_en": "Half charged, somewhere cool.",
            "keywords_en": "hibernate",
            "action": "",
            "position": "20",
            "published": "on",
        }
    else:
        fields = {
            "version": article.updated_at.isoformat(),
            **{name: getattr(article, name) for name in TEXTS},
            "position": article.position,
            "product_lines": [line.pk for line in article.product_lines.all()],
        }
        if article.published:
            fields["published"] = "on"
    fields.update(changes)
    return {name: value for name, value in fields.items() if value is not None}


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def test_the_list_shows_every_article_with_its_faq_number_lines_state_and_update(agent_client, faq):
    Article.objects.filter(faq_number=15).update(published=False)
    line = ProductLineFactory(name="Mavic")
    faq[6].product_lines.add(line)
    page = agent_client.get(LIST).content.decode()
    assert page.count("<tr>") == 1 + 15
    row_15 = page[page.index(f'href="{_edit(faq[15])}"') :].split("</tr>")[0]
    assert "Not published" in row_15 and "/help/" in row_15
    row_6 = page[page.index(f'href="{_edit(faq[6])}"') :].split("</tr>")[0]
    assert "Mavic" in row_6 and "Published" in row_6 and "<time datetime=" in row_6


def test_the_list_is_searched_by_title_in_either_language(agent_client, faq):
    page = agent_client.get(LIST, {"q": "tombé dans l'eau"}).content.decode()
    assert page.count("<tr>") == 1 + 1 and f'href="{_edit(faq[13])}"' in page
    page = agent_client.get(LIST, {"q": "countries"}).content.decode()
    assert page.count("<tr>") == 1 + 1 and f'href="{_edit(faq[15])}"' in page
    assert "No article here." in agent_client.get(LIST, {"q": "zzz"}).content.decode()


def test_an_agent_writes_an_article_that_search_finds_at_once(agent_client, faq):
    line = ProductLineFactory()
    assert articles_search("hibernate") == []  # remembered: nothing
    response = agent_client.post(NEW, _fields(product_lines=[line.pk]))
    article = Article.objects.get(title_en="How do I store the batteries?")
    assert response.status_code == 302 and response["Location"] == _edit(article)
    assert article.slug == "how-do-i-store-the-batteries" and article.published
    assert list(article.product_lines.all()) == [line]
    assert [found.article for found in articles_search("hibernate")] == [article]
    assert articles_search("stocker batteries")[0].article == article
    page = agent_client.get(response["Location"]).content.decode()
    assert "The article is saved." in page
    assert agent_client.get(article.get_absolute_url()).status_code == 200


def test_an_agent_edits_an_answer_and_search_finds_its_new_words(agent_client, faq):
    article = faq[14]
    assert articles_search("teleportation") == []
    assert articles_search("international")[0].article == article  # remembered for a minute
    response = agent_client.post(
        _edit(article),
        _fields(article, title_en="Is the plan valid for teleportation?",
                body_fr="Le forfait est disponible partout, téléportation comprise."),
    )  # fmt: skip
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title_en == "Is the plan valid for teleportation?"
    assert [found.article for found in articles_search("teleportation")][:1] == [article]
    assert articles_search("téléportation")[0].article == article
    page = agent_client.get("/help/", {"q": "teleportation"}).content.decode()
    assert "Is the plan valid for teleportation?" in page


def test_an_unpublished_article_is_a_404_and_leaves_the_search(agent_client, client, faq):
    article = faq[14]
    assert articles_search("international countries")[0].article == article
    fields = _fields(article)
    del fields["published"]
    assert agent_client.post(_edit(article), fields).status_code == 302
    article.refresh_from_db()
    assert not article.published
    assert all(found.article != article for found in articles_search("international countries"))
    assert agent_client.get(article.get_absolute_url()).status_code == 200  # staff still see it
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.title_en not in client.get("/help/").content.decode()


def test_a_missing_title_or_answer_is_said_at_its_field_and_everything_typed_is_kept(
    agent_client, faq
):
    article = faq[3]
    response = agent_client.post(
        _edit(article),
        _fields(article, title_fr="", body_en="   ", keywords_en="my own new words",
                body_fr="Une réponse réécrite."),
    )  # fmt: skip
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"title_fr", "body_en"}
    page = response.content.decode()
    assert 'id="id_title_fr_error"' in page and 'id="id_body_en_error"' in page
    assert "my own new words" in page and "Une réponse réécrite." in page
    article.refresh_from_db()
    assert article.keywords_en != "my own new words"

    response = agent_client.post(NEW, _fields(title_en="", body_fr=""))
    assert set(response.context["form"].errors) == {"title_en", "body_fr"}
    assert "Comment stocker les batteries ?" in response.content.decode()
    assert not Article.objects.filter(title_fr="Comment stocker les batteries ?").exists()


def test_an_address_taken_or_reserved_is_said_at_its_field(agent_client, faq):
    response = agent_client.post(NEW, _fields(slug=faq[1].slug))
    assert "slug" in response.context["form"].errors
    response = agent_client.post(NEW, _fields(slug="serial-number"))
    assert "slug" in response.context["form"].errors
    # Left empty, the address is made from the English title, and never one that is taken.
    agent_client.post(NEW, _fields())
    agent_client.post(NEW, _fields())
    assert set(
        Article.objects.filter(slug__startswith="how-do-i-store").values_list("slug", flat=True)
    ) == {"how-do-i-store-the-batteries", "how-do-i-store-the-batteries-2"}


def test_the_preview_shows_the_public_rendering_in_both_languages_without_saving(agent_client, faq):
    article = faq[10]
    response = agent_client.post(
        _edit(article),
        _fields(article, body_en="First line.\n\nSecond paragraph.", preview="1"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    preview = page[page.index('id="preview"') :]
    assert "<p>First line.</p>\n\n<p>Second paragraph.</p>" in preview
    assert 'lang="fr"' in preview and article.title_fr.replace("'", "&#x27;") in preview
    # The action's button, in each language, as on the public page.
    assert "Start a repair request" in preview and "Faire une demande de réparation" in preview
    article.refresh_from_db()
    assert "Second paragraph." not in article.body_en


def test_the_pages_speak_french(agent_client, faq):
    agent_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = unescape(agent_client.get(LIST).content.decode())
    assert "Articles du centre d'aide" in page and "Nouvel article" in page
    assert "Publié" in page and "Dernière mise à jour" in page
    page = unescape(agent_client.get(_edit(faq[1])).content.decode())
    assert "Enregistrer l'article" in page and "Aperçu sans enregistrer" in page
    assert "Titre (français)" in page and "En anglais" in page and "Aucune action" in page
    response = agent_client.post(NEW, _fields(title_en=""))
    assert "Ce champ est obligatoire." in response.content.decode()


def test_the_list_reads_a_fixed_number_of_queries_whatever_the_number_of_articles(
    agent_client, faq
):
    lines = [ProductLineFactory(code="mavic"), ProductLineFactory(code="inspire", name="Inspire")]
    for article in faq.values():
        article.product_lines.set(lines)
    counted = []
    for extra in (0, 20):
        for number in range(extra):
            Article.objects.create(
                slug=f"extra-{number}", title_fr="t", title_en="t", body_fr="b", body_en="b"
            )
        with CaptureQueriesContext(connection) as queries:
            assert agent_client.get(LIST).status_code == 200
        counted.append(len(queries.captured_queries))
    assert counted[0] == counted[1] <= 8, counted


def test_an_address_another_agent_takes_meanwhile_is_said_at_its_field(agent_client, faq):
    """Two agents create an article with the same address at once: the form of the second
    found it free, then the first one's save took it. The second is told at the field, with
    everything typed kept, not an error page."""
    checked = ArticleForm._post_clean

    def checked_then_taken(form):
        checked(form)
        Article.objects.create(
            slug="battery-storage", title_en="Taken", body_en="x", title_fr="Pris", body_fr="x"
        )

    with mock.patch.object(ArticleForm, "_post_clean", checked_then_taken):
        response = agent_client.post(NEW, _fields(slug="battery-storage"))
    assert response.status_code == 422
    form = response.context["form"]
    assert "slug" in form.errors
    page = unescape(response.content.decode())
    assert "Comment stocker les batteries ?" in page and "Half charged, somewhere cool." in page
    assert Article.objects.filter(slug="battery-storage").count() == 1


def test_the_unique_index_refusing_the_address_is_a_field_error_not_a_crash(faq):
    """Taken between the service's own check and its insert: the unique index refuses it."""
    Article.objects.create(
        slug="battery-storage", title_en="Taken", body_en="x", title_fr="Pris", body_fr="x"
    )
    rival = Article(
        slug="battery-storage", title_en="Mine", body_en="y", title_fr="Le mien", body_fr="y"
    )
    with mock.patch.object(Article, "validate_unique"), pytest.raises(ValidationError) as refused:
        article_save(article=rival)
    assert "Another article has just taken this address" in refused.value.message_dict["slug"][0]
    assert Article.objects.filter(slug="battery-storage").count() == 1
