from django.urls import path

from . import views

urlpatterns = [
    path("devices", views.DeviceRegisterView.as_view(), name="devices"),
]
