"""Finding articles for what a customer typed, in French or English.

PostgreSQL: full-text search on the stored vectors (`Article.search_fr`, `search_en`), built
with the configurations `fr_unaccent` and `en_unaccent` (the French and English stemmers after
`unaccent`: « tombé » finds « tombe », « eau » finds « l'eau »), made by migration 0001 with
their GIN indexes. The words typed are OR-ed (a customer's sentence has words no answer uses:
« mon drone est tombé dans l'eau » must still find « Mon appareil est tombé dans l'eau »), each
with the few words of `SYNONYMS`, and the answers are ranked by `ts_rank` in both languages,
the title weighing most (A), then the article's other words (B), then the answer (C).

SQLite (development, tests): the same words, accents folded, matched in Python against every
published article, with a small score by where they are found.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Q, QuerySet

from .models import Article

FR_CONFIG = "fr_unaccent"
EN_CONFIG = "en_unaccent"
MAX_WORDS = 12  # of what was typed; the rest is ignored (a pasted e-mail is not a query)
MAX_QUERY_CHARS = 300

# A customer's word -> words the articles use for it (in both languages; folded, lower case).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "drone": ("appareil", "aircraft", "device"),
    "aircraft": ("appareil", "device", "drone"),
    "appareil": ("device", "aircraft"),
    "device": ("appareil",),
    "plan": ("programme", "care", "refresh"),
    "forfait": ("programme", "plan", "care", "refresh"),
    "abonnement": ("programme", "plan"),
    "programme": ("plan",),
    "garantie": ("warranty",),
    "warranty": ("garantie",),
    "mouille": ("eau",),
    "wet": ("water",),
    "renew": ("renouveler",),
    "renouveler": ("renew",),
    "prolonger": ("renouveler",),
    "extend": ("renew",),
    "sn": ("serie", "serial"),
    "serial": ("serie",),
    "serie": ("serial",),
}

# The little words of both languages, folded; never searched for.
_LITTLE_WORDS = """a an and are as at be but by can could do does for from had has have how i
    if in into is
    it its me my no not of on or our so that the their them then there these they this to was
    we were what when where which who why will with would you your au aux avec ce ces comment
    dans de des du elle en est et etre il ils je la le les leur lui ma mais me meme mes moi mon
    ne nos notre nous on ou par pas peut peux pour puis qu que quel quelle qui sa se ses son sur
    ta te tes toi ton tu un une vos votre vous y c d j l m n s t"""
STOPWORDS = frozenset(_LITTLE_WORDS.split())

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case without accents: « Tombé » -> "tombe"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The words of `text`, folded, without the little words, each once, in order."""
    found: list[str] = []
    for word in _WORD.findall(fold(text[:MAX_QUERY_CHARS])):
        if word not in STOPWORDS and word not in found:
            found.append(word)
    return found[:MAX_WORDS]


def query_words(text: str) -> list[str]:
    """What is searched for: the words typed, then their synonyms."""
    typed = words(text)
    expanded = list(typed)
    for word in typed:
        for synonym in SYNONYMS.get(word, ()):
            if synonym not in expanded:
                expanded.append(synonym)
    return expanded


@dataclass(frozen=True)
class Found:
    article: Article
    score: float


# What a results list shows of an article (not its texts' search columns, nor its bodies).
LISTED_FIELDS = ("slug", "faq_number", "title_fr", "title_en", "action", "position")
# Found articles are remembered per query for a while (customers ask the same questions): the
# ids only, read again through `articles`, so an article unpublished or deleted meanwhile is
# never shown; an edit is searched at once where the cache is shared (Redis: the version below
# changes), within CACHE_SECONDS in a process-local cache.
CACHE_SECONDS = 60
_VERSION_KEY = "helpcentre:search:version"


def cache_forget() -> None:
    """Every remembered result is out of date (an article was saved)."""
    cache.set(_VERSION_KEY, uuid.uuid4().hex, None)


def _cache_key(terms: list[str], limit: int) -> str:
    version = cache.get_or_set(_VERSION_KEY, lambda: uuid.uuid4().hex, None)
    digest = hashlib.sha256(" ".join(terms).encode()).hexdigest()[:32]
    return f"helpcentre:search:{version}:{connection.vendor}:{limit}:{digest}"


def search(articles: QuerySet[Article], text: str, limit: int) -> list[Found]:
    """The best `limit` of `articles` (always the published ones: the cache does not tell
    querysets apart) for `text`, best first; none for nothing to search. The articles found
    hold only the fields a results list shows (`LISTED_FIELDS`)."""
    terms = query_words(text)
    if not terms or limit <= 0:
        return []
    key = _cache_key(terms, limit)
    remembered: list[tuple[int, float]] | None = cache.get(key)
    if remembered is None:
        if connection.vendor == "postgresql":
            found = _search_postgresql(articles, terms, limit)
        else:
            found = _search_python(articles, terms, limit)
        cache.set(key, [(one.article.pk, one.score) for one in found], CACHE_SECONDS)
        return found
    by_id = articles.only(*LISTED_FIELDS).in_bulk([pk for pk, _score in remembered])
    return [Found(by_id[pk], score) for pk, score in remembered if pk in by_id]


def _any_of(terms: Iterable[str], config: str) -> SearchQuery:
    query: SearchQuery | None = None
    for term in terms:
        one = SearchQuery(term, config=config, search_type="plain")
        query = one if query is None else query | one
    assert query is not None
    return query


def _search_postgresql(articles: QuerySet[Article], terms: list[str], limit: int) -> list[Found]:
    query_fr, query_en = _any_of(terms, FR_CONFIG), _any_of(terms, EN_CONFIG)
    rows = (
        articles.filter(Q(search_fr=query_fr) | Q(search_en=query_en))
        .annotate(score=SearchRank(F("search_fr"), query_fr) + SearchRank(F("search_en"), query_en))
        .only(*LISTED_FIELDS)
        .order_by("-score", "position", "pk")[:limit]
    )
    return [Found(article=article, score=article.score) for article in rows]


# --- SQLite: a simple fallback -------------------------------------------------------------

TITLE, KEYWORDS, BODY = 3.0, 2.0, 1.0


def _vocabulary(*texts: str) -> set[str]:
    return {word for text in texts for word in _WORD.findall(fold(text))} - STOPWORDS


def _matches(term: str, vocabulary: set[str]) -> bool:
    """A word, or one of the same beginning (a crude stem: "renew" finds "renewed", "tombe"
    finds "tomber")."""
    if term in vocabulary:
        return True
    if len(term) < 4:
        return False
    stem = term[: max(4, len(term) - 2)]
    return any(word.startswith(stem) for word in vocabulary)


def _search_python(articles: QuerySet[Article], terms: list[str], limit: int) -> list[Found]:
    found = []
    for article in articles:
        title = _vocabulary(article.title_fr, article.title_en)
        keywords = _vocabulary(article.keywords_fr, article.keywords_en)
        body = _vocabulary(article.body_fr, article.body_en)
        score = 0.0
        for term in terms:
            if _matches(term, title):
                score += TITLE
            elif _matches(term, keywords):
                score += KEYWORDS
            elif _matches(term, body):
                score += BODY
        if score:
            found.append(Found(article=article, score=score))
    found.sort(key=lambda one: (-one.score, one.article.position, one.article.pk))
    return found[:limit]
