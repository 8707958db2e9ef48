from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "aftersales.plans"
    label = "plans"
    verbose_name = _("Protection plans")

    def ready(self) -> None:
        from aftersales.core.errors import publish_errors

        from .errors import PlanNotFound, PlanRuleError

        # The API's docs list these codes (core knows no app: each app publishes its own).
        publish_errors(PlanRuleError, PlanNotFound)
