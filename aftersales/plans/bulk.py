"""Writing activation codes in bulk: a batch of a million codes is a benchmark target (under a
minute on PostgreSQL, `make bench`).

What makes it fast on PostgreSQL:
- codes are generated many at a time (`codes.generate_codes`) and written with COPY, as one
  pre-formatted text block per chunk, without a model instance or a parameter per code;
- each run of up to `_SORTED_RUN` codes is sorted before it is written: the unique index on
  the code then grows in order instead of at a random place for every code, which halves the
  time PostgreSQL spends in the index. The codes stay unguessable (the order of a batch says
  nothing about the codes of another, and neighbours in a sorted batch are ~2⁵⁴ apart).

Each chunk is written in its own savepoint: should a code collide with an existing one (74 bits
of randomness make it astronomically rare), only that chunk is generated again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import cast

from django.db import IntegrityError, connection, transaction
from django.db.models import Field

from . import codes
from .models import ActivationCode, ActivationCodeBatch

# A collision of two 74-bit codes is astronomically rare; retrying a chunk a few times is plenty.
_COLLISION_RETRIES = 5
# Codes generated and sorted at once: ~70 MB of Python strings per million.
_SORTED_RUN = 1_000_000


def activation_codes_insert(
    *,
    batch: ActivationCodeBatch,
    quantity: int,
    chunk_size: int = 10_000,
    progress: Callable[[int], object] | None = None,
) -> None:
    """Writes `quantity` new codes of `batch`; `progress(n)` after each chunk of n codes."""
    for chunk in _sorted_chunks(quantity, chunk_size):
        _chunk_insert(batch=batch, values=chunk)
        if progress is not None:
            progress(len(chunk))


def _sorted_chunks(quantity: int, chunk_size: int) -> Iterator[list[str]]:
    remaining = quantity
    while remaining > 0:
        run = min(remaining, _SORTED_RUN)
        # A set drops duplicates inside the run; the unique index catches the rest.
        fresh: set[str] = set()
        while len(fresh) < run:
            fresh.update(codes.generate_codes(run - len(fresh)))
        values = sorted(fresh)
        for start in range(0, run, chunk_size):
            yield values[start : start + chunk_size]
        remaining -= run


def _chunk_insert(*, batch: ActivationCodeBatch, values: list[str]) -> None:
    for attempt in range(_COLLISION_RETRIES):
        try:
            with transaction.atomic():
                _codes_write(batch=batch, values=values)
            return
        # COPY goes to psycopg's cursor itself, whose errors Django does not translate.
        except (IntegrityError, connection.Database.IntegrityError):  # type: ignore[attr-defined]
            if attempt == _COLLISION_RETRIES - 1:
                raise
            fresh: set[str] = set()
            while len(fresh) < len(values):
                fresh.update(codes.generate_codes(len(values) - len(fresh)))
            values = sorted(fresh)


def _codes_write(*, batch: ActivationCodeBatch, values: list[str]) -> None:
    meta = ActivationCode._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(
        quote(cast(str, cast(Field, meta.get_field(name)).column))
        for name in ("code", "batch", "offering", "region")
    )
    tail = (batch.pk, batch.offering_id, batch.region_id)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY's text format: codes are [2-9A-Z] only, nothing to escape.
            suffix = "\t{}\t{}\t{}\n".format(*tail)
            # The foreign keys are checked now rather than all at commit: the progress bar
            # then shows the real progress (the checks are a third of the time).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(suffix.join(values) + suffix)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.executemany(
                # Table and column names come from the model, not from input.
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s)",  # noqa: S608
                [(code, *tail) for code in values],
            )
