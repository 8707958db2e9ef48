# Placeholder routes; replaced by the My products pages.
from django.urls import path
from django.views.generic import TemplateView

app_name = "devices"

urlpatterns = [path("", TemplateView.as_view(template_name="core/home.html"), name="list")]
