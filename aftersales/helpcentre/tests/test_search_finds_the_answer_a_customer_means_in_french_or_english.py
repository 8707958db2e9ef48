"""Search understands what customers type, in French or English, accents or not (PostgreSQL's
full-text search with the accent-folding configurations; the Python fallback on SQLite): the
same expectations on both databases."""

from __future__ import annotations

import pytest

from aftersales.helpcentre.models import Article
from aftersales.helpcentre.selectors import articles_search, articles_suggest
from aftersales.helpcentre.services import article_save


def _first(text: str) -> int | None:
    found = articles_search(text, limit=3)
    return found[0].article.faq_number if found else None


@pytest.mark.parametrize(
    ("text", "faq_number"),
    [
        ("mon drone est tombé dans l'eau", 13),
        ("Mon drone est tombe dans l eau", 13),  # no accent, no apostrophe
        ("TOMBÉ DANS L'EAU", 13),
        ("my drone fell in the water", 13),
        ("can I renew my plan", 9),
        ("puis-je renouveler mon programme", 9),
        ("puis-je prolonger mon forfait", 9),
        ("où est le numéro de série", 12),
        ("where is the serial number", 12),
        ("garantie", 8),
        ("48 heures activé", 6),
        ("gimbal Mavic 2 Zoom", 5),
        ("international coverage", 14),
    ],
)
def test_the_answer_meant_comes_first(faq, text, faq_number):
    assert _first(text) == faq_number


def test_nothing_typed_or_only_little_words_finds_nothing(faq):
    assert articles_search("") == []
    assert articles_search("   ") == []
    assert articles_search("le la les the a") == []


def test_words_no_answer_uses_find_nothing(faq):
    assert articles_search("zzyzx quux") == []


def test_an_unpublished_article_is_never_found(faq):
    Article.objects.filter(faq_number=13).update(published=False)
    assert 13 not in [found.article.faq_number for found in articles_search("tombé dans l'eau")]


def test_an_article_staff_edit_is_found_by_its_new_words_at_once(faq):
    assert _first("holiday") is None  # and remembered (search.CACHE_SECONDS)
    article = faq[14]
    article.keywords_en = "passport holiday"
    article_save(article=article)
    assert _first("holiday") == 14


def test_a_new_article_staff_write_is_found_in_both_languages(faq):
    article_save(
        article=Article(
            slug="firmware",
            title_fr="Comment mettre à jour le micrologiciel ?",
            title_en="How do I update the firmware?",
            body_fr="Avec l'application.",
            body_en="With the app.",
            published=True,
        )
    )
    assert _first("micrologiciel") is None  # no FAQ number: the article itself
    assert articles_search("micrologiciel")[0].article.slug == "firmware"
    assert articles_search("updating firmware")[0].article.slug == "firmware"


def test_the_contact_form_is_offered_the_three_best_answers_in_the_customers_language(faq):
    suggestions = articles_suggest("Mon drone est tombé dans l'eau du lac", "fr")
    assert len(suggestions) == 3
    assert suggestions[0].faq_number == 13
    assert suggestions[0].title.startswith("Mon appareil est tombé dans l'eau")
    assert suggestions[0].url == "/help/water-damage/"
    assert suggestions[0].action_url == "/repairs/new/"
    assert suggestions[0].action_label == "Faire une demande de réparation"
    english = articles_suggest("can I renew my plan", "en", limit=1)
    assert [(s.faq_number, s.title) for s in english] == [
        (9, faq[9].title_en),
    ]
    assert articles_suggest("", "en") == []
