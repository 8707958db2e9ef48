from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from . import selectors, services
from .forms import (
    AddressForm,
    LoginForm,
    PasswordResetForm,
    ProfileForm,
    ResendVerificationForm,
    SetPasswordForm,
    SignUpForm,
)
from .typing import AuthenticatedRequest


def _base_url(request: HttpRequest) -> str:
    # Links in e-mails point to the host the visitor used (works behind any domain and in tests).
    return request.build_absolute_uri("/")


def _remember_language(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.SESSION_COOKIE_SECURE,
    )


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers the choice in a logged-in account."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and user.preferred_language != language
    ):
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return response


# --- Sign-up and verification ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # A new address or one that has an account: the same answer (the owner gets an e-mail).
        services.user_sign_up(
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            preferred_language=data["preferred_language"],
            base_url=_base_url(request),
        )
        request.session["accounts_signup_email"] = data["email"]
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


def signup_done(request: HttpRequest) -> HttpResponse:
    email = request.session.get("accounts_signup_email", "")
    return render(
        request,
        "accounts/signup_done.html",
        {"email": email, "resend_form": ResendVerificationForm(initial={"email": email})},
    )


@require_http_methods(["GET"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.user_verify_email(token)
    except services.InvalidVerificationToken:
        return render(
            request,
            "accounts/verify_email_invalid.html",
            {"resend_form": ResendVerificationForm()},
            status=400,
        )
    messages.success(request, _("Your e-mail address is verified. You can log in now."))
    return redirect("accounts:login")


@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    form = ResendVerificationForm(request.POST)
    if not form.is_valid():
        return render(
            request, "accounts/verify_email_invalid.html", {"resend_form": form}, status=400
        )
    services.user_resend_verification(email=form.cleaned_data["email"], base_url=_base_url(request))
    # The same answer for any address: the form must not reveal who has an account.
    return render(
        request, "accounts/resend_verification_done.html", {"email": form.cleaned_data["email"]}
    )


# --- Log in, log out, passwords ------------------------------------------------------------


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        assert isinstance(form, LoginForm)  # form_class
        response = super().form_valid(form)
        language = form.get_user().preferred_language
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            _remember_language(response, language)
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        assert isinstance(form, LoginForm)  # form_class
        if form.limit_reached:
            # The same page as django-axes' lock-out, saying which limit was reached.
            return render(
                self.request,
                settings.AXES_LOCKOUT_TEMPLATE,
                {
                    "reason": form.limit_reached,
                    "cooloff_timedelta": timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES),
                },
                status=429,
            )
        context = self.get_context_data(
            form=form,
            resend_form=ResendVerificationForm(initial={"email": form.unverified_email})
            if form.unverified_email
            else None,
        )
        return self.render_to_response(context)


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


# --- My account ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.user_update_profile(
            user=user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            preferred_language=data["preferred_language"],
        )
        # The message is read on the next page: write it in the language just chosen.
        translation.activate(user.preferred_language)
        messages.success(request, _("Your details are saved."))
        response = redirect("accounts:profile")
        _remember_language(response, user.preferred_language)
        return response
    return render(request, "accounts/profile.html", {"form": form})


# --- Address book -------------------------------------------------------------------------


@login_required
def address_list(request: AuthenticatedRequest) -> HttpResponse:
    addresses = selectors.address_list(user=request.user)
    return render(request, "accounts/address_list.html", {"addresses": addresses})


@login_required
@require_http_methods(["GET", "POST"])
def address_create(request: AuthenticatedRequest) -> HttpResponse:
    form = AddressForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.address_create(user=request.user, **form.cleaned_data)
        messages.success(request, _("The address is added to your address book."))
        return _back_to_list(request)
    return render(request, "accounts/address_form.html", {"form": form, "address": None})


@login_required
@require_http_methods(["GET", "POST"])
def address_update(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    # Another customer's address is "not found", not "forbidden": its existence stays private.
    address = get_object_or_404(selectors.address_list(user=request.user), pk=pk)
    form = AddressForm(request.POST if request.method == "POST" else None, instance=address)
    if request.method == "POST" and form.is_valid():
        services.address_update(address=address, data=form.cleaned_data)
        messages.success(request, _("The address is saved."))
        return _back_to_list(request)
    return render(request, "accounts/address_form.html", {"form": form, "address": address})


@login_required
@require_http_methods(["GET", "POST"])
def address_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    address = get_object_or_404(selectors.address_list(user=request.user), pk=pk)
    if request.method == "POST":
        services.address_delete(address=address)
        messages.success(request, _("The address is deleted."))
        return _back_to_list(request)
    return render(request, "accounts/address_confirm_delete.html", {"address": address})


def _back_to_list(request: HttpRequest) -> HttpResponseRedirect:
    # Other pages (a repair request's return address) send the customer here with `next`.
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(next_url)
    return redirect("accounts:address_list")
