from django.urls import path

from . import views

app_name = "helpcentre"

urlpatterns = [
    path("", views.index, name="index"),
    path("serial-number/", views.serial_numbers, name="serial_numbers"),
    path("<slug:slug>/", views.article_detail, name="article"),
]
