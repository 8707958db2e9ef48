"""WCAG in the shared templates (issue 7, item 10): the language switch's buttons are named by
what they show (2.5.3, label in name), and the status and alert roles of messages and form
errors sit on a container around the list, not on the list (1.3.1: a list keeps its items)."""

from __future__ import annotations

import re

import pytest
from axes.utils import reset as axes_reset
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST_WITH_A_ROLE = re.compile(r"<(ul|ol)\b[^>]*\brole=")


def language_buttons(html: str) -> dict[str, str]:
    """value → the button's opening tag and content."""
    return dict(
        re.findall(
            r'<button type="submit" name="language" value="(\w+)"([^>]*>.*?)</button>', html, re.S
        )
    )


def test_each_language_button_is_named_by_the_code_it_shows_then_the_language(client):
    html = client.get("/").content.decode()

    buttons = language_buttons(html)
    assert set(buttons) == {"en", "fr"}
    for code, name in [("en", "English"), ("fr", "Français")]:
        tag, _, content = buttons[code].partition(">")
        assert "aria-label" not in tag
        # The visible text starts the accessible name; the full name follows, for screen readers.
        visible, hidden = re.match(
            r'\s*(\w+)<span class="visually-hidden">(.*)</span>', content
        ).groups()
        assert visible == code.upper()
        assert name in hidden


def test_messages_are_a_list_inside_a_status_region(customer_client):
    response = customer_client.post(
        reverse("accounts:address_create"),
        {
            "full_name": "Alice Durand",
            "street": "5 quai des Chartrons",
            "postcode": "33000",
            "city": "Bordeaux",
            "country": "FR",
            "phone": "+33 5 56 00 00 00",
        },
        follow=True,
    )

    html = response.content.decode()
    assert re.search(r'<div class="messages" role="status">\s*<ul>\s*<li class="message', html)
    assert not LIST_WITH_A_ROLE.search(html)


def test_form_errors_are_a_list_inside_an_alert(client, customer):
    axes_reset()
    response = client.post(
        reverse("accounts:login"), {"username": customer.email, "password": "wrong"}
    )

    html = response.content.decode()
    assert re.search(r'<div role="alert"><ul class="errorlist nonfield">\s*<li>', html)
    assert not LIST_WITH_A_ROLE.search(html)
    axes_reset()


def test_no_template_puts_a_role_on_a_list():
    from django.conf import settings

    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in (settings.BASE_DIR / "aftersales").rglob("templates/**/*.html")
        if LIST_WITH_A_ROLE.search(path.read_text())
    ]
    assert offenders == []
