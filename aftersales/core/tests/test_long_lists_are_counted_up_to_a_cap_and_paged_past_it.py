"""Long staff lists (the workshop's queues, the support inbox) are counted only up to a cap: a
page past the cap still opens, and `page.more` says the list holds more than was counted
(`core.counting`)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from aftersales.accounts.tests.factories import UserFactory
from aftersales.core.counting import CappedCount, capped_page, count_cap

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("asked", "cap"),
    [
        (None, 1000),
        ("", 1000),
        ("two", 1000),
        ("0", 1000),
        ("-4", 1000),
        ("1", 1000),
        ("19", 1000),  # page 20, the next one, is still within the cap
        ("20", 1050),
        (30, 1550),
    ],
)
def test_the_count_goes_to_the_floor_or_one_page_past_the_page_asked_for(asked, cap):
    assert count_cap(asked, 50, 1000) == cap


def test_past_the_cap_the_paginator_offers_one_page_more_and_says_there_is_more(
    django_assert_num_queries,
):
    UserFactory.create_batch(7)
    users = get_user_model().objects.order_by("id")
    ids = list(users.values_list("id", flat=True))

    listed = CappedCount(users, cap=5)
    page = capped_page(listed, "3", 2)
    assert page.paginator.count == 5 and page.paginator.num_pages == 3
    assert page.more is True
    assert [user.id for user in page.object_list] == ids[4:5]

    within = capped_page(CappedCount(users, cap=10), "1", 2)
    assert within.paginator.count == 7 and within.more is False
    assert [user.id for user in within.object_list] == ids[:2]

    # A count already made (the queues' counts, shown beside them) is taken as it is.
    known = CappedCount(users, cap=5, known=3)
    with django_assert_num_queries(0):
        assert known.count() == 3
    assert known.more is False
    with django_assert_num_queries(0):
        assert CappedCount(users, cap=5, known=6).count() == 5

    # A page number that is not one is the first page; one too far, the last.
    assert capped_page(CappedCount(users, cap=5), "x", 2).number == 1
    assert capped_page(CappedCount(users, cap=5), "9", 2).number == 3
