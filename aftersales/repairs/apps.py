from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepairsConfig(AppConfig):
    name = "aftersales.repairs"
    label = "repairs"
    verbose_name = _("Repair requests")

    def ready(self) -> None:
        from aftersales.core.errors import publish_errors

        from .errors import CaseRuleError

        # The API's docs list these codes (core knows no app: each app publishes its own).
        publish_errors(CaseRuleError)
