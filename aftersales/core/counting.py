"""Several counts in one round trip: each a scalar subquery the database plans on its own, so
that each reads the one index range that serves it (a single GROUP BY with the conditions as
FILTERs reads every row of every group)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import QuerySet, Value


def counts_at_once(querysets: list[QuerySet[Any]], cap: int | None = None) -> list[int]:
    """How many rows each queryset holds (at most `cap + 1` each when `cap` is given), in one
    statement."""
    if not querysets:
        return []
    parts: list[str] = []
    params: list[Any] = []
    for queryset in querysets:
        rows = queryset.order_by().values(one=Value(1))
        if cap is not None:
            rows = rows[: cap + 1]
        sql, sql_params = rows.query.get_compiler(connection=connection).as_sql()
        # The SQL is the ORM's own, its values passed as parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS q{len(parts)})")  # noqa: S608
        params.extend(sql_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return [int(n) for n in row]


class CappedCount:
    """A queryset for a paginator that counts it up to a cap (`counts_at_once`), or takes a
    count already made: past the cap the paginator offers one page more than it counted, and
    `more` says that the list holds more than `count()`. Slicing reads the queryset."""

    def __init__(self, queryset: QuerySet[Any], cap: int, known: int | None = None) -> None:
        self.queryset = queryset
        self.cap = cap
        self.known = known
        self.more = False

    def count(self) -> int:
        counted = self.known
        if counted is None:
            counted = counts_at_once([self.queryset], cap=self.cap)[0]
        self.more = counted > self.cap
        return min(counted, self.cap)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[Any]:
        return list(self.queryset[page])


def count_cap(page_number: Any, page_size: int, floor: int) -> int:
    """How far to count a list shown `page_size` a page: `floor`, or past the page asked for
    (and one page more, to offer the next) when that is further. A page number that is not
    one counts as the first."""
    try:
        wanted = max(int(page_number), 1)
    except (TypeError, ValueError):
        wanted = 1
    return max(floor, (wanted + 1) * page_size)


def capped_page(listed: Any, page_number: Any, page_size: int) -> Page[Any]:
    """The page of a list counted up to a cap (`CappedCount`, or any object with `count()`,
    slicing and `more`); `page.more` says that the list holds more than it counted."""
    paginator: Paginator[Any] = Paginator(listed, page_size)
    page = paginator.get_page(page_number)
    page.more = listed.more  # type: ignore[attr-defined]
    return page
