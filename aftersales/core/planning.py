"""Statements planned with their values, for the queries whose best plan depends on them.

On PostgreSQL the statements are prepared (settings: `DATABASE_PREPARED_STATEMENTS`), and one
run often enough gets a generic plan, made without its values, which serves most queries well
(their plan is the same whatever the values) and saves planning them again. A search is the
opposite: how many rows its words match decides its plan. Planned without them, the search by
the beginning of a case number chose to read every case newest first until it had found 51
(600 ms for the one that matches), instead of the few that match."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def custom_plans() -> Iterator[None]:
    """Inside: every statement is planned with its values (PostgreSQL: `plan_cache_mode`, for
    the transaction, opened here if none is)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        yield
