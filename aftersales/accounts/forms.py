from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from aftersales.core.emails import email_send_templated
from aftersales.core.http import client_address

from . import services
from .models import Address, User


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        # The column's length (User.email), below forms.EmailField's default of 320.
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "max_length": _("An e-mail address has at most %(limit_value)d characters."),
        },
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("For our e-mails and this site."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = translation.get_language() or settings.LANGUAGE_CODE
        # "fr-be" is served as "fr": offer the language the visitor is reading.
        self.fields["preferred_language"].initial = translation.get_supported_language_variant(
            active
        )

    def clean_email(self) -> str:
        # An address that already has an account is not refused here: saying so would tell
        # anyone who has an account (services.user_sign_up tells the owner instead).
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            # The validators compare the password with the name and the e-mail.
            candidate = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


TOO_MANY_LOGIN_FAILURES = _(
    "Too many log-ins failed. Please wait an hour and try again, or reset your password."
)


def authenticate_within_limits(
    form: LoginForm | AdminLoginForm, authenticate: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """Run the form's `authenticate` (AuthenticationForm.clean) unless the address or the
    account has failed too often (services.login_limit_reached); count a wrong password."""
    username = form.cleaned_data.get("username")
    password = form.cleaned_data.get("password")
    if form.request is None or not username or not password:
        return authenticate()
    address = client_address(form.request)
    reached = services.login_limit_reached(address=address, email=username)
    if reached:
        # Refused before the password is checked: a guess here tells nothing.
        form.limit_reached = reached
        raise ValidationError(TOO_MANY_LOGIN_FAILURES, code="too_many_failures")
    try:
        return authenticate()
    except ValidationError as error:
        if error.code == "invalid_login":
            services.login_failure_record(address=address, email=username)
        raise


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's log-in, under the same limits as the site's."""

    limit_reached = ""

    def clean(self) -> dict[str, Any]:
        return authenticate_within_limits(self, super().clean)


class LoginForm(auth_forms.AuthenticationForm):
    """Log in with the e-mail address. The field keeps the name `username`: django-axes counts
    failures by that field (AXES_USERNAME_FORM_FIELD)."""

    username = auth_forms.UsernameField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _(
            "This e-mail address and password do not match an account. "
            "Check them; the password is case-sensitive."
        ),
        "email_unverified": _(
            "Your e-mail address is not verified yet. Open the link we sent you, "
            "or ask for a new one below."
        ),
    }

    # Set when the credentials are right but the address is unverified: the page then offers
    # to send the link again.
    unverified_email: str = ""
    # "address" or "account" when a limit of services.login_limit_reached refused the log-in.
    limit_reached: str = ""

    def clean(self) -> dict[str, Any]:
        return authenticate_within_limits(self, super().clean)

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if not user.is_email_verified:
            self.unverified_email = user.email
            raise ValidationError(self.error_messages["email_unverified"], code="email_unverified")


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, with the e-mail written in the recipient's language and sent by the
    background task."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        if not services.user_password_reset_mail_allowed(email=to_email):
            return
        email_send_templated(
            to=to_email,
            template="accounts/emails/password_reset",
            context=context,
            language=user.preferred_language,
        )


class SetPasswordForm(auth_forms.SetPasswordForm):
    def save(self, commit: bool = True) -> User:
        user = super().save(commit=commit)
        if commit:
            # The link came to this mailbox: the address is proven, and the owner may log in
            # again even if strangers made the account's log-in limit run out.
            services.user_mark_email_verified(user=user)
            services.login_failures_forget_account(email=user.email)
        return user


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "preferred_language"]
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "preferred_language": _("Preferred language"),
        }
        help_texts = {"preferred_language": _("For our e-mails and this site.")}
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True


class AddressForm(forms.ModelForm):
    """Validation lives in Address.clean(); ModelForm runs it and puts each error at its field."""

    class Meta:
        model = Address
        fields = services.ADDRESS_FIELDS
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "company": forms.TextInput(attrs={"autocomplete": "organization"}),
            "street": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "street2": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }
        help_texts = {
            "vat_number": _("Companies in the EU: with its country prefix, e.g. FR40303265045."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)  # django-countries' LazyTypedChoiceField
        country.widget.attrs["autocomplete"] = "country"
        # A named empty choice rather than Django's "---------".
        country.choices = [("", _("Choose a country")), *countries]
