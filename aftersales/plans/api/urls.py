from django.urls import path

from . import views

urlpatterns = [
    path("ping", views.PingView.as_view(), name="ping"),
    path("offerings", views.OfferingListView.as_view(), name="offerings"),
    path("plans", views.PlanCreateView.as_view(), name="plans"),
    path("plans/activate", views.PlanActivateView.as_view(), name="plans-activate"),
    path(
        "devices/<str:serial_number>/coverage",
        views.CoverageView.as_view(),
        name="devices-coverage",
    ),
]
