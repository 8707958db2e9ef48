from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("activate/", views.plan_activate, name="activate"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/contract.pdf", views.plan_contract, name="contract"),
]
