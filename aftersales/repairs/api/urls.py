from django.urls import path

from . import views

urlpatterns = [
    # Under plans/ for the partner (it acts on a plan), in the repairs app because it needs a
    # case: repairs may know plans, plans know a case only by its number.
    path(
        "plans/<uuid:plan_reference>/replacements",
        views.ReplacementGrantView.as_view(),
        name="plans-replacements",
    ),
]
