"""The partner API, version 1. Each app keeps its endpoints in `<app>/api/`."""

from django.urls import path

urlpatterns: list = []
