from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "aftersales.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Infrastructure, not domain logic: permissions exist only after migrate.
        post_migrate.connect(_sync_roles, dispatch_uid="aftersales_sync_roles")


def _sync_roles(sender: AppConfig, **kwargs: object) -> None:
    from django.apps import apps

    # post_migrate is sent once per app; permissions of every app exist after the last one.
    if sender is list(apps.get_app_configs())[-1]:
        from .roles import sync_role_permissions

        sync_role_permissions()
