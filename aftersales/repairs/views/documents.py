"""The printable documents of a case: the case form ("Imprimer mon dossier" on the confirmation
page and the case page opens it in a new tab, ready to print and put in the parcel; guide,
"Demande envoyée !"), and its parcel labels (PDF and ZPL)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from .. import lifecycle, selectors
from ..choices import ParcelDirection, RequestStatus
from ..labels import label_zpl
from ..models import ParcelLabel, RepairRequest
from ..pdf import case_form_pdf as render_case_form


def _case_or_404(request: HttpRequest, case_number: str) -> RepairRequest:
    if lifecycle.staff_reads_cases(request.user):
        # Staff print the form of any case, e.g. when a parcel arrives without it.
        queryset = RepairRequest.objects.exclude(status=RequestStatus.DRAFT).select_related(
            "user", "product_model", "device__model", "plan__offering", "component", "repair_centre"
        )
        return get_object_or_404(queryset, case_number=case_number.strip().upper())
    # Another customer's case, a draft or a made-up number are all the same 404.
    return selectors.case_of(request.user, case_number)


@login_required
@require_GET
def case_form_pdf(request: HttpRequest, case_number: str) -> HttpResponse:
    """The case form as a PDF, shown inline to print. In the case's language, not the page's:
    it is the document that travels with the parcel."""
    case = _case_or_404(request, case_number)
    response = HttpResponse(render_case_form(case), content_type="application/pdf")
    # Inline, not attachment: the browser shows it in the new tab, ready to print.
    filename = f"{case.case_number}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, filename) or "inline"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def parcel_label(request: HttpRequest, case_number: str, direction: str, kind: str) -> HttpResponse:
    """A parcel label of the case, as the carrier made it: the PDF (A6) to print, or ZPL for a
    thermal printer. The customer gets their prepaid return label; staff any label of any case.
    Another customer's case, a label that does not exist or a made-up number are all a 404."""
    if direction not in ParcelDirection.values or kind not in ("pdf", "zpl"):
        raise Http404
    if not lifecycle.staff_reads_cases(request.user) and direction != ParcelDirection.INBOUND:
        raise Http404
    case = _case_or_404(request, case_number)
    if case.status == RequestStatus.CANCELLED and not lifecycle.staff_reads_cases(request.user):
        # A withdrawn request sends no parcel: its prepaid label is not the customer's to use
        # any more (audit: it could still be downloaded and shipped on).
        raise Http404
    label = get_object_or_404(ParcelLabel, request=case, direction=direction)
    filename = f"label-{case.case_number}-{direction}.{kind}"
    if kind == "pdf":
        response = HttpResponse(bytes(label.pdf), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, filename) or "inline"
    else:
        response = HttpResponse(label_zpl(bytes(label.pdf)), content_type="text/plain")
        response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response
