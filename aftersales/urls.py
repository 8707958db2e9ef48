from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from aftersales.accounts.views import set_language
from aftersales.core import views as core_views

handler400 = "aftersales.core.views.bad_request"
handler404 = "aftersales.core.views.page_not_found"
handler500 = "aftersales.core.views.server_error"

admin.site.site_header = admin.site.site_title = settings.AFTERSALES["SITE_NAME"]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # The language switch remembers the choice in the account too (accounts.views).
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("account/", include("aftersales.accounts.urls")),
    path("products/", include("aftersales.devices.urls")),
    path("plans/", include("aftersales.plans.urls")),
    path("repairs/", include("aftersales.repairs.urls")),
    path("workshop/", include("aftersales.workshop.urls")),
    path("help/", include("aftersales.helpcentre.urls")),
    path("support/", include("aftersales.support.urls")),
    # The contact form's verification code (its picture and its audio), drawn by the site and
    # counted per address (support/captcha_urls.py).
    path("captcha/", include("aftersales.support.captcha_urls")),
    path("api/v1/", include("aftersales.api_urls")),
    path("", include("aftersales.core.urls")),
]
