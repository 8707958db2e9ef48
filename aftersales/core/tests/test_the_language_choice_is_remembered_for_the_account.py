from __future__ import annotations

from django.conf import settings


def test_switching_language_saves_it_in_the_account(customer_client, customer):
    response = customer_client.post("/i18n/setlang/", {"language": "fr", "next": "/"})

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.preferred_language == "fr"
    # The switch's cookie, not the account's former language, or the next page is in English.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_an_unknown_language_is_not_saved(customer_client, customer):
    customer_client.post("/i18n/setlang/", {"language": "xx", "next": "/"})

    customer.refresh_from_db()
    assert customer.preferred_language == "en"


def test_an_anonymous_visitor_switches_language_with_the_cookie_only(client, db):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_the_accounts_language_applies_when_the_browser_has_no_cookie(client, customer):
    customer.preferred_language = "fr"
    customer.save(update_fields=["preferred_language"])
    client.force_login(customer)

    response = client.get("/", headers={"Accept-Language": "en"})

    assert response["Content-Language"] == "fr"
    assert '<html lang="fr">' in response.content.decode()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_the_browsers_cookie_wins_over_the_accounts_language(client, customer):
    customer.preferred_language = "fr"
    customer.save(update_fields=["preferred_language"])
    client.force_login(customer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/")

    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
