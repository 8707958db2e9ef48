from django.urls import path

from . import views

urlpatterns = [
    path("models", views.ProductModelListView.as_view(), name="models"),
]
