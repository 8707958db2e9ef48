"""Issue 4, done when: "a 26 MB file and an executable renamed .pdf are refused with clear
messages while every other answer stays". Django must let the whole POST reach the form (its
DATA_UPLOAD_MAX_MEMORY_SIZE counts the fields, not the files), so that the form can say why and
show the customer's answers again; only the file has to be chosen again.

A small page of this module's own stands for the wizard's proof-of-purchase step."""

from __future__ import annotations

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.http import HttpRequest, HttpResponse
from django.template import Context, Template
from django.urls import path

from aftersales.repairs.attachments import AttachmentField, attachment_add
from aftersales.repairs.choices import AttachmentKind, PurchaseChannel
from aftersales.repairs.models import RepairRequest

from . import sample_files

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

MB = 1024 * 1024
PDF_BYTES = b"%PDF-1.4\n%%EOF\n"


class ProofOfPurchaseForm(forms.Form):
    purchase_channel = forms.ChoiceField(choices=PurchaseChannel.choices)
    received_on = forms.DateField()
    description = forms.CharField(widget=forms.Textarea)
    invoice = AttachmentField()


PAGE = Template("<form>{{ form.as_div }}</form>")
uploaded: dict[str, object] = {}


def proof_of_purchase(request: HttpRequest) -> HttpResponse:
    form = ProofOfPurchaseForm(request.POST, request.FILES)
    if form.is_valid():
        uploaded["file_class"] = type(form.cleaned_data["invoice"])
        repair_request = RepairRequest.objects.get(pk=request.POST["request"])
        attachment_add(
            repair_request=repair_request,
            kind=AttachmentKind.INVOICE,
            uploaded_file=form.cleaned_data["invoice"],
        )
        return HttpResponse("saved", status=201)
    return HttpResponse(PAGE.render(Context({"form": form})))


urlpatterns = [path("proof-of-purchase/", proof_of_purchase)]


@pytest.fixture
def draft(customer):
    return RepairRequest.objects.create(user=customer)


def answers(draft: RepairRequest, invoice: SimpleUploadedFile) -> dict[str, object]:
    return {
        "request": draft.pk,
        "purchase_channel": PurchaseChannel.AUTHORISED_DEALER,
        "received_on": "2026-01-15",
        "description": "Le cardan ne répond plus après la chute.",
        "invoice": invoice,
    }


def test_a_26_mb_file_is_refused_and_every_other_answer_is_shown_again(client, draft):
    big = SimpleUploadedFile(
        "facture.pdf", PDF_BYTES + b"\x00" * (26 * MB + 1 - len(PDF_BYTES)), "application/pdf"
    )

    response = client.post("/proof-of-purchase/", answers(draft, big))

    assert response.status_code == 200
    html = response.content.decode()
    assert "“facture.pdf” is 26.0\xa0MB; files can be at most 25\xa0MB." in html
    assert "Le cardan ne répond plus après la chute." in html
    assert 'value="2026-01-15"' in html
    assert f'<option value="{PurchaseChannel.AUTHORISED_DEALER}" selected>' in html
    assert not draft.attachments.exists()


def test_a_program_renamed_pdf_is_refused_and_every_other_answer_is_shown_again(client, draft):
    exe = SimpleUploadedFile("facture.pdf", b"MZ\x90\x00" + b"\x00" * 500, "application/pdf")

    response = client.post("/proof-of-purchase/", answers(draft, exe))

    html = response.content.decode()
    assert "“facture.pdf” is not a PDF, Word, Excel, PowerPoint, PNG, JPG or GIF file." in html
    assert "Le cardan ne répond plus après la chute." in html
    assert 'value="2026-01-15"' in html
    assert not draft.attachments.exists()


def test_a_big_file_under_the_limit_goes_through_a_temporary_file_and_is_stored(client, draft):
    content = sample_files.pdf_of_size(3 * MB)  # over FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)

    response = client.post(
        "/proof-of-purchase/", answers(draft, SimpleUploadedFile("facture.pdf", content))
    )

    assert response.status_code == 201
    assert uploaded["file_class"] is TemporaryUploadedFile
    attachment = draft.attachments.get()
    assert attachment.size == len(content)
    with attachment.file.open("rb") as stored:
        assert stored.read() == content
