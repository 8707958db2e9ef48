from __future__ import annotations

from django.conf import settings
from django.utils import translation


def test_a_missing_page_shows_the_not_found_page(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    assert "Page not found" in response.content.decode()


def test_the_not_found_page_is_in_the_visitors_language(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = client.get("/no-such-page/")

    content = response.content.decode()
    assert '<html lang="fr">' in content
    with translation.override("fr"):
        assert translation.gettext("Page not found") in content
