"""Writing articles: staff edit them (their pages and the admin call `article_save`), and each
save refreshes the article's full-text search columns on PostgreSQL in the same transaction (no
signals)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext_lazy as _

from .errors import ArticleError
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


def article_save(
    *,
    article: Article,
    product_lines: Iterable[Any] | None = None,
    expected_updated_at: datetime | None = None,
) -> Article:
    """Saves an article written or edited by staff (and its product lines, when given), with its
    search columns.

    `expected_updated_at` is the `updated_at` of the version the editor started from (the staff
    page's hidden field): when someone saved the article since, nothing is saved and
    `ArticleError("article_changed")` says so, so that a second editor never silently
    overwrites the first (the row is locked while it is compared and written)."""
    with transaction.atomic():
        if article.pk is not None and expected_updated_at is not None:
            saved_at = (
                Article.objects.select_for_update()
                .filter(pk=article.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            if saved_at is None:
                raise ArticleError("article_gone")
            if saved_at != expected_updated_at:
                raise ArticleError("article_changed")
        # The form checked the address was free; another editor may take it meanwhile:
        # full_clean says so (validate_unique), or the unique index at the save. Either way a
        # ValidationError at the field, which the staff's form shows with what was typed.
        article.full_clean()
        try:
            with transaction.atomic():
                article.save()
        except IntegrityError as error:
            raise ValidationError(
                {"slug": _("Another article has just taken this address: choose another one.")}
            ) from error
        if product_lines is not None:
            article.product_lines.set(product_lines)
        article_search_refresh(article_ids=[article.pk])
    return article
