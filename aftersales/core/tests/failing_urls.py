"""The site's URLs plus a view that fails, for the error page tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from aftersales.urls import handler500
from aftersales.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


class UnexpectedError(Exception):
    pass


def broken_view(request: HttpRequest) -> HttpResponse:
    raise UnexpectedError("the view broke")


urlpatterns = [path("broken/", broken_view), *site_urlpatterns]
