from __future__ import annotations

import re

from whitenoise.middleware import WhiteNoiseFileResponse


def _body(response) -> bytes:
    body = b"".join(response.streaming_content)
    response.close()
    return body


def test_the_stylesheet_is_served(client, db):
    response = client.get("/static/aftersales/site.css")

    assert response.status_code == 200
    assert isinstance(response, WhiteNoiseFileResponse)
    assert response["Content-Type"].startswith("text/css")
    assert b".site-header" in _body(response)


def test_the_favicon_is_served(client, db):
    response = client.get("/static/aftersales/favicon.svg")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    _body(response)


def test_a_missing_static_file_is_a_404(client, db):
    assert client.get("/static/aftersales/nothing.css").status_code == 404


def test_every_static_file_the_pages_link_to_is_served(client, db):
    html = client.get("/").content.decode()
    urls = set(re.findall(r'(?:href|src)="(/static/[^"]+)"', html))

    assert "/static/aftersales/site.css" in urls
    for url in sorted(urls):
        response = client.get(url)
        assert response.status_code == 200, url
        _body(response)
