"""Uploads live under MEDIA_ROOT, which has no URL: neither /media/ nor /static/ nor any path
typed in the address bar reaches them. The download view takes a token and opens the path stored
on the row, never one read from the URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver
from django.views.static import serve as static_serve

from aftersales.repairs.attachments import attachment_add
from aftersales.repairs.choices import AttachmentKind
from aftersales.repairs.models import RepairRequest

from . import sample_files

pytestmark = pytest.mark.django_db


def _titled(pdf) -> None:
    pdf.docinfo["/Title"] = "secret invoice of Alice"


PDF_BYTES = sample_files.pdf(change=_titled)
assert b"secret invoice" in PDF_BYTES


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def invoice(customer):
    draft = RepairRequest.objects.create(user=customer)
    return attachment_add(
        repair_request=draft,
        kind=AttachmentKind.INVOICE,
        uploaded_file=SimpleUploadedFile("facture.pdf", PDF_BYTES),
    )


def all_views(patterns) -> list:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += all_views(pattern.url_patterns)
        else:
            found.append(pattern.callback)
    return found


def test_no_route_serves_the_uploads_folder():
    assert static_serve not in all_views(get_resolver().url_patterns)


def test_the_uploads_folder_is_not_among_the_static_files():
    media = Path(settings.MEDIA_ROOT).resolve()
    for static in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
        static = static.resolve()
        assert not media.is_relative_to(static)
        assert not static.is_relative_to(media)


def test_the_stored_file_is_not_served_under_media_static_or_its_own_path(customer_client, invoice):
    name = invoice.file.name
    for url in (f"/media/{name}", f"/static/{name}", f"/{name}", f"/uploads/{name}"):
        response = customer_client.get(url, follow=True)
        assert response.status_code == 404, url
        assert b"secret invoice" not in response.content, url


@pytest.mark.parametrize(
    "token",
    [
        "..",
        "..%2F..%2Fsettings.py",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "..%5C..%5Cwindows",
        "repairs%2F1%2Finvoice",
        "a" * 33,
        "abc%00def",
        "abc.pdf",
    ],
)
def test_path_tricks_in_the_token_are_not_found(customer_client, invoice, token):
    response = customer_client.get(f"/repairs/files/{token}/")

    assert response.status_code == 404
    assert b"secret invoice" not in response.content


def test_the_path_stored_on_the_row_cannot_leave_the_uploads_folder(customer_client, invoice):
    # Even a row tampered with in the database does not open a file outside MEDIA_ROOT.
    type(invoice).objects.filter(pk=invoice.pk).update(file="../../../../etc/hostname")

    response = customer_client.get(f"/repairs/files/{invoice.token}/")

    assert response.status_code == 404
