from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from aftersales.core.typing import CountryFieldValue

from . import validators


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A customer or a staff member; customers log in with their e-mail address."""

    # Removes AbstractUser's field, as Django documents; the stubs type it as a CharField.
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # The stubs declare AbstractUser.objects as Django's own UserManager; ours is a
    # BaseUserManager (no username), which Django accepts.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("An account with this e-mail address already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


class Address(models.Model):
    """An entry of the customer's address book: where a repaired unit is sent back."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="addresses",
        verbose_name=_("customer"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    company = models.CharField(_("company"), max_length=150, blank=True)
    street = models.CharField(_("street and number"), max_length=200)
    street2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20)
    city = models.CharField(_("city"), max_length=100)
    country: CountryFieldValue = CountryField(_("country"))
    phone = models.CharField(
        _("phone"),
        max_length=32,
        help_text=_("With the country code, e.g. +33 6 12 34 56 78."),
    )
    vat_number = models.CharField(
        _("VAT number (for companies)"),
        max_length=20,
        blank=True,
        validators=[validators.validate_vat_number_format],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return ", ".join(line for line in self.lines if line)

    @property
    def lines(self) -> list[str]:
        return [
            self.full_name,
            self.company,
            self.street,
            self.street2,
            f"{self.postcode} {self.city}",
            str(self.country.name),
        ]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.country and self.postcode:
            try:
                self.postcode = validators.normalize_postcode(self.postcode, str(self.country))
            except validators.ValidationError as error:
                errors["postcode"] = error.messages
        if self.country and self.phone:
            try:
                self.phone = validators.normalize_phone(self.phone, str(self.country))
            except validators.ValidationError as error:
                errors["phone"] = error.messages
        if self.country and self.vat_number:
            try:
                self.vat_number = validators.normalize_vat_number(
                    self.vat_number, str(self.country)
                )
            except validators.ValidationError as error:
                errors["vat_number"] = error.messages
        if self.vat_number and not self.company:
            errors["company"] = [_("Enter the company name that goes with the VAT number.")]
        if errors:
            raise validators.ValidationError(errors)
