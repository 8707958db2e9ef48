from django.urls import path

from . import views

app_name = "devices"

urlpatterns = [
    path("", views.device_list, name="list"),
    path("add/", views.device_add, name="add"),
    path("<str:serial_number>/", views.device_detail, name="detail"),
    path("<str:serial_number>/remove/", views.device_remove, name="remove"),
]
