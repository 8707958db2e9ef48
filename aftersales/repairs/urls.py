from django.urls import path

from .views import cases, documents, files, payments, wizard

app_name = "repairs"

urlpatterns = [
    # My requests and following a case.
    path("", cases.request_list, name="list"),
    path("progress/", cases.progress_query, name="progress"),
    path("cases/<str:case_number>/", cases.case_detail, name="case"),
    path("cases/<str:case_number>/form.pdf", documents.case_form_pdf, name="case_form"),
    path(
        "cases/<str:case_number>/labels/<str:direction>.<str:kind>",
        documents.parcel_label,
        name="label",
    ),
    path("cases/<str:case_number>/quote/", cases.quote_answer, name="quote_answer"),
    path("cases/<str:case_number>/cancel/", cases.case_cancel, name="case_cancel"),
    # Paying online (issue 9): the button, the way back from the provider's page, and the
    # provider's notification (no log-in, no CSRF: its signature is the proof).
    path(
        "cases/<str:case_number>/payments/<int:payment_id>/online/",
        payments.payment_online,
        name="payment_online",
    ),
    path(
        "cases/<str:case_number>/payments/return/<uuid:token>/",
        payments.payment_return,
        name="payment_return",
    ),
    path(
        "payments/notifications/<slug:provider>/",
        payments.payment_notification,
        name="payment_notification",
    ),
    path("cases/<str:case_number>/sent/", wizard.confirmation, name="confirmation"),
    path("files/<str:token>/", files.attachment_download, name="attachment"),
    # The guided request (Guide RMA): one URL per step.
    path("new/", wizard.start, name="start"),
    path("serial-number/", wizard.recognise_serial, name="recognise_serial"),
    path("<int:pk>/", wizard.resume, name="resume"),
    path("<int:pk>/delete/", cases.draft_delete, name="draft_delete"),
    path("<int:pk>/submit/", wizard.submit, name="submit"),
    path("<int:pk>/addresses/", wizard.address_panel, name="address_panel"),
    path("<int:pk>/<slug:step>/", wizard.step, name="step"),
]
