from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .forms import AdminLoginForm
from .models import Address, User

# The admin's log-in counts failures per address and per account like the site's.
admin.site.login_form = AdminLoginForm


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "preferred_language")


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


# What makes an account staff, and what it may do: only those who manage the roles change them
# (administrators, who may change the groups, and superusers), and only a superuser makes a
# superuser. An agent's "change user" is for customers' names, addresses and language: without
# this, it could tick "superuser" on its own account or set the administrator's password.
PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


def manages_roles(user: Any) -> bool:
    return bool(user.is_active and (user.is_superuser or user.has_perm("auth.change_group")))


def may_change_account(user: Any, account: User | None) -> bool:
    """A staff or superuser account is changed (its e-mail, its password…) only by those who
    manage the roles, a superuser's only by a superuser: anything else would let a role take
    over a stronger account."""
    if account is None or not (account.is_staff or account.is_superuser):
        return True
    if account.is_superuser:
        return bool(user.is_superuser)
    return manages_roles(user)


class EmailVerifiedFilter(admin.SimpleListFilter):
    title = _("e-mail verified")
    parameter_name = "verified"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> QuerySet[User]:
        if self.value() == "yes":
            return queryset.filter(email_verified_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(email_verified_at__isnull=True)
        return queryset


class AddressInline(admin.StackedInline):
    model = Address
    extra = 0
    fields = ("full_name", "company", "street", "street2", "postcode", "city", "country")
    show_change_link = True


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "preferred_language", "email_verified_at")},
        ),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
                "description": _(
                    "Staff roles are the groups agent, reception, technician, analyst and "
                    "administrator; change what each may do in Groups."
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "first_name",
                    "last_name",
                    "preferred_language",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = (
        "email",
        "first_name",
        "last_name",
        "is_staff",
        "is_verified",
        "preferred_language",
        "date_joined",
    )
    list_filter = (
        "is_staff",
        "is_superuser",
        "is_active",
        EmailVerifiedFilter,
        "preferred_language",
        "groups",
    )
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    inlines = [AddressInline]

    @admin.display(
        boolean=True, description=pgettext_lazy("user", "verified"), ordering="email_verified_at"
    )
    def is_verified(self, obj: User) -> bool:
        return obj.is_email_verified

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not change and obj.email_verified_at is None:
            # A member of staff typed the address: there is nobody to click a link.
            obj.email_verified_at = timezone.now()
        super().save_model(request, obj, form, change)

    def get_inlines(self, request: HttpRequest, obj: User | None) -> list[Any]:
        return self.inlines if obj is not None else []

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        readonly = tuple(super().get_readonly_fields(request, obj))
        user = request.user
        if not manages_roles(user):
            readonly += PRIVILEGE_FIELDS
        elif not user.is_superuser:
            readonly += ("is_superuser",)
        return readonly

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return super().has_change_permission(request, obj) and may_change_account(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return super().has_delete_permission(request, obj) and may_change_account(request.user, obj)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # Setting someone's password is taking over their account: those who manage the roles
        # only (a customer who lost access resets it by e-mail), and never a stronger account.
        account = self.get_object(request, id)
        if not manages_roles(request.user) or not may_change_account(request.user, account):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("full_name", "company", "postcode", "city", "country", "user")
    list_filter = ("country",)
    search_fields = ("full_name", "company", "city", "postcode", "user__email")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at", "updated_at")
