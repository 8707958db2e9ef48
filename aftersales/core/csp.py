"""The Content-Security-Policy (settings.CONTENT_SECURITY_POLICY), through django-csp."""

from __future__ import annotations

from csp.middleware import CSPMiddleware
from django.http import HttpRequest
from django.http.response import HttpResponseBase


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, except for PDFs (the service contract, the case form to
    print): Chrome shows a PDF with its own viewer, an <embed> that the page policy's
    `object-src 'none'` would block (crbug.com/271452), and a PDF runs none of the site's
    scripts that the policy is there for."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.get("Content-Type", "").startswith("application/pdf"):
            return response
        return super().process_response(request, response)
