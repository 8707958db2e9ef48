"""Writing articles: staff edit them (the admin calls `article_save`), and each save refreshes
the article's full-text search columns on PostgreSQL in the same transaction (no signals)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction

from .models import Article
from .search import EN_CONFIG, FR_CONFIG, cache_forget


def _vector(language: str, config: str) -> Any:
    # The title weighs most, then the words customers use for the question, then the answer.
    return (
        SearchVector(f"title_{language}", weight="A", config=config)
        + SearchVector(f"keywords_{language}", weight="B", config=config)
        + SearchVector(f"body_{language}", weight="C", config=config)
    )


def article_search_refresh(*, article_ids: Iterable[int] | None = None) -> int:
    """Rebuilds the search columns of these articles (all of them for None) from their texts;
    nothing to do on SQLite. Returns how many rows were updated. Remembered results are
    forgotten (search.cache_forget), now and once the change is committed (a search meanwhile
    may have remembered the old texts)."""
    cache_forget()
    transaction.on_commit(cache_forget)
    if connection.vendor != "postgresql":
        return 0
    articles = Article.objects.all()
    if article_ids is not None:
        articles = articles.filter(pk__in=list(article_ids))
    return articles.update(search_fr=_vector("fr", FR_CONFIG), search_en=_vector("en", EN_CONFIG))


def article_save(*, article: Article, product_lines: Iterable[Any] | None = None) -> Article:
    """Saves an article written or edited by staff (and its product lines, when given), with its
    search columns."""
    with transaction.atomic():
        article.full_clean()
        article.save()
        if product_lines is not None:
            article.product_lines.set(product_lines)
        article_search_refresh(article_ids=[article.pk])
    return article
