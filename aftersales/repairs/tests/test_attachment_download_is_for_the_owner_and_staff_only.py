"""Issue 4: uploads are "stored outside the static files and served only to their owner and to
staff"; "a second customer can reach none of the first one's files, by page or by guessing
URLs". The only way to a file is /repairs/files/<token>/; another customer's token is "not
found", like a token that does not exist."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aftersales.repairs.attachments import attachment_add
from aftersales.repairs.choices import AttachmentKind
from aftersales.repairs.models import RepairRequest

from . import sample_files

pytestmark = pytest.mark.django_db

PDF_BYTES = sample_files.pdf()


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
        uploaded_file=SimpleUploadedFile("Facture été 2026.pdf", PDF_BYTES),
    )


def download(client, token: str):
    return client.get(reverse("repairs:attachment", args=[token]))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_owner_downloads_the_file_as_it_was_uploaded(customer_client, invoice):
    response = download(customer_client, invoice.token)

    assert response.status_code == 200
    assert body(response) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(PDF_BYTES))
    assert response["Content-Disposition"] == (
        'attachment; filename="Facture _t_ 2026.pdf"; '
        "filename*=UTF-8''Facture%20%C3%A9t%C3%A9%202026.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_file_is_never_rendered_in_the_sites_origin_nor_embedded_elsewhere(
    customer_client, customer
):
    # A flight log whose text a browser could take for a page, were it rendered.
    log = attachment_add(
        repair_request=RepairRequest.objects.create(user=customer),
        kind=AttachmentKind.FLIGHT_LOG,
        uploaded_file=SimpleUploadedFile("vol.csv", sample_files.airdata_csv()),
    )

    response = download(customer_client, log.token)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith('attachment; filename="vol.csv"')
    assert response["X-Content-Type-Options"] == "nosniff"
    # No script, no plug-in, no frame: a sandboxed, empty origin even if it were opened.
    policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert {"default-src 'none'", "sandbox", "frame-ancestors 'none'"} <= set(policy)
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_another_customer_gets_not_found(other_client, invoice):
    response = download(other_client, invoice.token)

    assert response.status_code == 404
    assert PDF_BYTES not in response.content


def test_staff_download_any_customers_file(client, agent, invoice):
    client.force_login(agent)

    response = download(client, invoice.token)

    assert response.status_code == 200
    assert body(response) == PDF_BYTES


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, invoice):
    url = reverse("repairs:attachment", args=[invoice.token])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert "next=" in response["Location"]


def test_an_unknown_token_is_not_found(customer_client, invoice):
    assert download(customer_client, "x" * 32).status_code == 404
    assert download(customer_client, invoice.token[:-1]).status_code == 404


def test_a_file_missing_from_the_disk_is_not_found(customer_client, invoice):
    invoice.file.storage.delete(invoice.file.name)

    assert download(customer_client, invoice.token).status_code == 404


def test_a_file_is_only_read_not_changed_through_its_address(customer_client, invoice):
    url = reverse("repairs:attachment", args=[invoice.token])

    assert customer_client.post(url).status_code == 405
    assert customer_client.delete(url).status_code == 405
    assert customer_client.head(url).status_code == 200
