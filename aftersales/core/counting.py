"""Several counts in one round trip: each a scalar subquery the database plans on its own, so
that each reads the one index range that serves it (a single GROUP BY with the conditions as
FILTERs reads every row of every group)."""

from __future__ import annotations

from typing import Any

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
