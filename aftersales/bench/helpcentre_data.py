"""The help centre's benchmark data (issue 10, "Speed": search with 1,000 articles): the FAQ's
fifteen answers and as many more articles as asked, each a variant of one of them with words of
the others mixed in (the same every run), their search columns built once at the end. What the
scenario asks is in scenarios.py (`HELP_QUERIES`)."""

from __future__ import annotations

import random

from django.apps import apps
from django.db import transaction

from aftersales.helpcentre.faq import FAQ, faq_articles_load
from aftersales.helpcentre.models import Article
from aftersales.helpcentre.services import article_search_refresh


def helpcentre_data_load(*, articles: int, seed: int = 10) -> int:
    """Makes the help centre hold `articles` published articles (the FAQ's among them)."""
    faq_articles_load(apps)
    missing = articles - Article.objects.count()
    rng = random.Random(seed)
    vocabulary = {
        language: " ".join(row[f"body_{language}"] for row in FAQ).split()
        for language in ("fr", "en")
    }
    batch = []
    for number in range(max(0, missing)):
        row = FAQ[number % len(FAQ)]
        extra = {lang: " ".join(rng.sample(words, 40)) for lang, words in vocabulary.items()}
        batch.append(
            Article(
                slug=f"bench-{number:05d}",
                title_fr=f"{row['title_fr']} ({number})",
                title_en=f"{row['title_en']} ({number})",
                body_fr=f"{row['body_fr']}\n\n{extra['fr']}",
                body_en=f"{row['body_en']}\n\n{extra['en']}",
                keywords_fr=row["keywords_fr"],
                keywords_en=row["keywords_en"],
                action=row["action"],
                published=True,
                position=100 + number,
            )
        )
    with transaction.atomic():
        Article.objects.bulk_create(batch, batch_size=500)
        article_search_refresh()
    return Article.objects.count()
