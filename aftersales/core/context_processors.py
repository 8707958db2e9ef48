from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_NAME": settings.AFTERSALES["SITE_NAME"],
        "BRAND": settings.AFTERSALES["BRAND"],
        "SUPPORT_EMAIL": settings.AFTERSALES["SUPPORT_EMAIL"],
        "CARRIER": settings.AFTERSALES["CARRIER_NAME"],
    }
