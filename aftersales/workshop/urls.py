from django.urls import path

from . import dashboard_views, views

app_name = "workshop"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("queues/<slug:slug>/", views.queue, name="queue"),
    # The centre's figures for its managers (issue 9, item 6): the page, its plots, the CSV.
    path("dashboard/", dashboard_views.dashboard_view, name="centre_dashboard"),
    path(
        "dashboard/plots/<slug:name>.svg",
        dashboard_views.plot_view,
        name="centre_dashboard_plot",
    ),
    path("dashboard/figures.csv", dashboard_views.csv_view, name="centre_dashboard_csv"),
    path("search/", views.search, name="search"),
    path("scan/", views.scan, name="scan"),
    path("cases/<str:case_number>/", views.case_detail, name="case"),
    # The reception view: the case page with the reception form first (GET); POST registers.
    path(
        "cases/<str:case_number>/receive/",
        views.case_action,
        {"action": "receive"},
        name="receive",
    ),
    path(
        "cases/<str:case_number>/payment/<int:payment_id>/",
        views.case_action,
        {"action": "payment"},
        name="payment",
    ),
    # Every other action: evaluate, quote, ship… (workshop.actions.ACTIONS).
    path("cases/<str:case_number>/<slug:action>/", views.case_action, name="action"),
]
