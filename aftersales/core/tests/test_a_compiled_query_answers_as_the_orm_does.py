"""`core.compiled.CompiledQuery` builds a query's SQL once per connection and runs it with each
new value: its answer is the ORM's own — the same row, the same values converted the same way
(a datetime on SQLite), what `select_related` joined already there — or None; two rows are an
error, not a silent pick; a query that does not take its value exactly once is refused."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from aftersales.core.compiled import CompiledQuery
from aftersales.core.models import SentEmail

pytestmark = pytest.mark.django_db

BY_CODENAME = CompiledQuery(
    Permission,
    lambda codename: Permission.objects.select_related("content_type").filter(codename=codename),
)


def test_each_value_gets_the_row_the_orm_gets_with_its_joined_row(django_assert_num_queries):
    for codename in ("view_user", "change_group", "add_permission"):
        expected = Permission.objects.select_related("content_type").get(codename=codename)
        with django_assert_num_queries(1):  # the joined content type read with it
            found = BY_CODENAME.one(codename)
            assert found is not None
            assert found.content_type.app_label == expected.content_type.app_label
        assert (found.pk, found.name, found.content_type_id) == (
            expected.pk,
            expected.name,
            expected.content_type_id,
        )
        assert found._state.db == "default" and not found._state.adding


def test_no_row_is_none():
    assert BY_CODENAME.one("no_such_permission") is None
    assert BY_CODENAME.one("") is None


def test_values_come_back_converted_as_the_orm_converts_them():
    sent = SentEmail.objects.create(key="compiled-1")
    by_key = CompiledQuery(SentEmail, lambda key: SentEmail.objects.only("sent_at").filter(key=key))
    found = by_key.one("compiled-1")
    assert found is not None
    assert found.sent_at == SentEmail.objects.get(pk=sent.pk).sent_at
    assert found.sent_at.tzinfo is not None
    assert found.get_deferred_fields() == {"key"}  # .only() kept: the rest read when asked


def test_two_rows_are_an_error_not_a_pick():
    by_app = CompiledQuery(
        Permission, lambda label: Permission.objects.filter(content_type__app_label=label)
    )
    assert ContentType.objects.filter(app_label="auth").exists()
    with pytest.raises(Permission.MultipleObjectsReturned):
        by_app.one("auth")


def test_a_query_that_ignores_its_value_or_answers_another_model_is_refused():
    ignores = CompiledQuery(Permission, lambda _value: Permission.objects.filter(codename="x"))
    with pytest.raises(ValueError, match="takes its value once"):
        ignores.one("view_user")
    other = CompiledQuery(Permission, lambda value: ContentType.objects.filter(model=value))
    with pytest.raises(ValueError, match="its own model"):
        other.one("user")
