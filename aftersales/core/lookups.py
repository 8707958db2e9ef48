"""`field__prefix="CAS-12"`: the rows whose text starts with the given text, read through an
index whatever plan the database gives the statement.

On PostgreSQL the statements are prepared (settings: `DATABASE_PREPARED_STATEMENTS`), and a
statement run often gets a generic plan, made without its values. `LIKE $1` (Django's
`startswith`) cannot be read through an index in such a plan, which does not know the pattern's
beginning: the search by the beginning of a case number read the whole table (600 ms) once its
plan turned generic. A range of the pattern operators (`~>=~ $1 AND ~<~ $2`) is read through a
`*_pattern_ops` index in any plan. Elsewhere (SQLite) it is `startswith`."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Lookup, TextField
from django.db.models.lookups import StartsWith


def prefix_upper_bound(prefix: str) -> str | None:
    """The first text after every text that starts with `prefix` (code point order, which is
    the pattern operators' byte order in UTF-8), or None when there is none."""
    text = prefix
    while text:
        last = ord(text[-1])
        if last < 0x10FFFF and not 0xD7FF <= last < 0xE000:
            return text[:-1] + chr(last + 1)
        if 0xD7FF <= last < 0xE000:
            return text[:-1] + chr(0xE000)
        text = text[:-1]
    return None


class Prefix(Lookup):
    lookup_name = "prefix"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        value = self.rhs
        if connection.vendor != "postgresql" or not isinstance(value, str) or not value:
            return StartsWith(self.lhs, self.rhs).as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        upper = prefix_upper_bound(value)
        if upper is None:
            return f"{lhs} ~>=~ %s", (*lhs_params, value)
        return f"({lhs} ~>=~ %s AND {lhs} ~<~ %s)", (*lhs_params, value, *lhs_params, upper)


def lookups_register() -> None:
    CharField.register_lookup(Prefix)
    TextField.register_lookup(Prefix)
