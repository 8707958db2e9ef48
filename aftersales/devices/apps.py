from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevicesConfig(AppConfig):
    name = "aftersales.devices"
    label = "devices"
    verbose_name = _("Devices")

    def ready(self) -> None:
        from aftersales.core.errors import publish_errors

        from .errors import DeviceExists, DeviceNotFound, DeviceRegistrationError

        # The API's docs list these codes (core knows no app: each app publishes its own).
        publish_errors(DeviceNotFound, DeviceExists, DeviceRegistrationError)
