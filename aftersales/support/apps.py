from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    """The guide's contact form, the agents' ticket inbox and the e-mail that comes back into a
    ticket (issue 10). At the top of the apps: it may read every app below it; nothing but the
    URL maps, the demo and the benchmarks imports it."""

    name = "aftersales.support"
    label = "support"
    verbose_name = _("Support")

    def ready(self) -> None:
        # The workshop dashboard's support section (issue 10, item 5): registered here, since
        # the workshop, below support, does not import it.
        from .dashboard import dashboard_section_register

        dashboard_section_register()
