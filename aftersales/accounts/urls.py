# Placeholder routes; replaced by the accounts pages.
from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import TemplateView

app_name = "accounts"

_todo = TemplateView.as_view(template_name="core/home.html")

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", _todo, name="signup"),
    path("", _todo, name="profile"),
    path("addresses/", _todo, name="address_list"),
]
