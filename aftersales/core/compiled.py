"""A query of a fixed shape whose SQL is built once per database connection, then run with a new
value: for a lookup on every request of a hot page, where building the SQL costs more than
running it. The reception scan's case (four joins, the columns it shows) took 1.1 ms of CPU to
build and 0.2 ms to run; every scan now pays the running only.

    CASE = CompiledQuery(RepairRequest, lambda number: RepairRequest.objects.select_related(
        ...).filter(case_number=number))
    CASE.one("CAS-…")   # the instance, with what select_related joined, or None

The queryset is built once with a marker in place of the value; Django compiles it and the
marker's place among the parameters is where each call's value goes. The rows become instances
exactly as Django's own `ModelIterable` makes them (`from_db`, the related populators, the
field converters), so the answer is the one the ORM gives — checked side by side with it in
`core/tests/test_a_compiled_query_answers_as_the_orm_does.py`, on SQLite and PostgreSQL. That
reuse of the compiler's results is Django's internal API: an upgrade that changes it fails
those tests, not the page silently.

Kept per connection (a thread's own, weakly held), since a compiled query belongs to the
connection it was compiled for."""

from __future__ import annotations

import secrets
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Compiled:
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    slot: int
    converters: dict[int, Any]
    fields: slice
    init_list: list[str]
    populators: list[Any]


class CompiledQuery(Generic[M]):
    def __init__(self, model: type[M], build: Callable[[str], QuerySet[M]]) -> None:
        """`build(value)`: the queryset of `model` for one value, filtered on it; the same
        shape whatever the value (no branch on it)."""
        self._model = model
        self._build = build
        self._marker = f"compiled-query-{secrets.token_hex(8)}"
        self._compiled: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _Compiled] = (
            weakref.WeakKeyDictionary()
        )

    def one(self, value: str) -> M | None:
        """The one row for `value`, or None (two rows are a bug in the caller's filter)."""
        db = router.db_for_read(self._model)
        connection = connections[db]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(db)
        params = list(compiled.params)
        params[compiled.slot] = value
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchmany(2)
        if not rows:
            return None
        if len(rows) > 1:
            raise self._model.MultipleObjectsReturned(  # type: ignore[attr-defined]
                f"{self._model.__name__}: more than one row for {value!r}"
            )
        if compiled.converters:
            rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
        row = rows[0]
        instance = self._model.from_db(db, compiled.init_list, row[compiled.fields])
        for populator in compiled.populators:
            populator.populate(row, instance)
        return instance

    def _compile(self, db: str) -> _Compiled:
        queryset = self._build(self._marker)
        if queryset.model is not self._model:
            raise ValueError("A compiled query answers instances of its own model.")
        compiler = queryset.query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        slots = [i for i, param in enumerate(params) if param == self._marker]
        if len(slots) != 1 or compiler.annotation_col_map:
            raise ValueError("A compiled query takes its value once and has no annotations.")
        select, klass_info = compiler.select, compiler.klass_info
        assert klass_info is not None
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _Compiled(
            compiler=compiler,
            sql=sql,
            params=tuple(params),
            slot=slots[0],
            converters=compiler.get_converters([column[0] for column in select]),
            fields=slice(first, last),
            init_list=[column[0].target.attname for column in select[first:last]],
            # (django-stubs describe a later Django's signature)
            populators=get_related_populators(klass_info, select, db),  # type: ignore[call-arg]
        )
