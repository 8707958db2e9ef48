"""What every endpoint of the partner API shares: who may call it, how errors answer, and the
list of error codes the docs publish.

Errors always answer JSON with a stable `code` and a readable `detail`:
- 400 malformed input: DRF's field errors (`{"field": ["message"]}`), or `{"code": "parse_error"}`
  for a body that is not JSON;
- 401 no or bad token, 403 not a partner, 404 unknown resource;
- 409 a resource that already exists (`device_exists`);
- 422 a plan rule refused the request (`plans.errors.PlanRuleError`, one code per rule);
- 500 anything unexpected: logged with the request id, answered without a traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback
from rest_framework.views import exception_handler as drf_exception_handler

from aftersales.plans.errors import RULE_MESSAGES, PlanRuleError

logger = logging.getLogger(__name__)

# The group of the maker's stores and systems that call the API (migration accounts 0003).
PARTNER_GROUP = "partner"

# Codes answered with 409 and 404, besides the plan rules' 422 codes.
CONFLICT_CODES = {
    "device_exists": _("A device with this serial number is already registered."),
    "conflict": _("This conflicts with data that already exists."),
}
NOT_FOUND_CODES = {
    "device_unknown": RULE_MESSAGES["device_unknown"],
    "plan_unknown": _("We do not know a plan with this id."),
    "not_found": _("Not found."),
}


class PartnerTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, as DRF's, in one SQL query that also says whether the user
    is a partner. Every API call pays for authentication, and the ORM's query building costs
    more than the query itself: this keeps the coverage lookup within its budget (issue 3)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user_model = get_user_model()
        # Concrete fields are exactly those with a column: the filter only narrows the type.
        columns = [
            field.column for field in user_model._meta.concrete_fields if field.column is not None
        ]
        attnames = [field.attname for field in user_model._meta.concrete_fields]
        quote = connection.ops.quote_name
        membership = user_model.groups.through._meta.db_table
        # Identifiers only come from the models' metadata; the key is a bound parameter.
        sql = (  # noqa: S608
            "SELECT {columns}, EXISTS (SELECT 1 FROM {membership} m JOIN {group} g "
            "ON g.id = m.group_id WHERE m.user_id = u.id AND g.name = %s) "
            "FROM {token} t JOIN {user} u ON u.id = t.user_id WHERE t.key = %s"
        ).format(
            columns=", ".join(f"u.{quote(column)}" for column in columns),
            membership=quote(membership),
            group=quote(Group._meta.db_table),
            token=quote(Token._meta.db_table),
            user=quote(user_model._meta.db_table),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [PARTNER_GROUP, key])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = user_model.from_db(connection.alias, attnames, row[:-1])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        user._is_partner = bool(row[-1])  # type: ignore[attr-defined]
        return user, Token(key=key, user=user)


class IsPartner(BasePermission):
    """Partners (the maker's stores and systems) and superusers; nobody else, staff included."""

    message = _("This API is for partner systems only.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return True
        known = getattr(user, "_is_partner", None)  # set by PartnerTokenAuthentication
        if known is not None:
            return bool(known)
        return user.groups.filter(name=PARTNER_GROUP).exists()


class PartnerAPIView(APIView):
    """The base of every partner endpoint: token auth, partners only, JSON in and out."""

    authentication_classes = [PartnerTokenAuthentication]
    permission_classes = [IsPartner]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]


class ApiError(exceptions.APIException):
    """An error with a stable code the partner's system can act on."""

    def __init__(self, code: str, detail: Any = None) -> None:
        super().__init__(detail=detail, code=code)
        self.error_code = code


class Conflict(ApiError):
    status_code = status.HTTP_409_CONFLICT

    def __init__(self, code: str = "conflict") -> None:
        super().__init__(code, CONFLICT_CODES[code])


class NotFound(ApiError):
    status_code = status.HTTP_404_NOT_FOUND

    def __init__(self, code: str = "not_found") -> None:
        super().__init__(code, NOT_FOUND_CODES[code])


def error_body(code: str, detail: Any) -> dict[str, str]:
    return {"code": code, "detail": str(detail)}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every error answers JSON, never a bare 500."""
    if isinstance(exc, PlanRuleError):
        set_rollback()
        return Response(
            error_body(exc.code, exc.message), status=status.HTTP_422_UNPROCESSABLE_ENTITY
        )
    if isinstance(exc, ApiError):
        set_rollback()
        return Response(error_body(exc.error_code, exc.detail), status=exc.status_code)

    response = drf_exception_handler(exc, context)
    if response is not None:
        # Field errors stay as DRF writes them ({"field": [...]}); a single message gets its
        # code next to it, e.g. {"code": "not_authenticated", "detail": "..."}.
        if isinstance(response.data, dict) and set(response.data) == {"detail"}:
            detail = response.data["detail"]
            code = getattr(detail, "code", None) or "error"
            response.data = error_body(code, detail)
        return response

    request = context.get("request")
    request_id = getattr(request, "request_id", None)
    set_rollback()
    if isinstance(exc, IntegrityError):
        # A uniqueness race that a view did not turn into its own error.
        logger.warning(
            "Partner API: integrity error",
            exc_info=exc,
            extra=_log_context(request, context, request_id),
        )
        return Response(
            error_body("conflict", CONFLICT_CODES["conflict"]), status=status.HTTP_409_CONFLICT
        )
    logger.error(
        "Partner API: unexpected error",
        exc_info=exc,
        extra=_log_context(request, context, request_id),
    )
    body = error_body(
        "server_error",
        _("Something went wrong on our side. Quote the request id to support."),
    )
    body["request_id"] = request_id or ""
    return Response(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def _log_context(request: Any, context: dict[str, Any], request_id: str | None) -> dict[str, Any]:
    view = context.get("view")
    user = getattr(request, "user", None)
    return {
        "request_id": request_id,
        "view": type(view).__name__ if view is not None else None,
        "method": getattr(request, "method", None),
        "path": getattr(request, "path", None),
        "user_id": getattr(user, "pk", None),
    }


# --- For the OpenAPI docs ----------------------------------------------------------------------

RULE_CODES = sorted(RULE_MESSAGES)


def codes_description(codes: list[str] | dict[str, Any]) -> str:
    """A Markdown list of codes with their messages, for an operation's description."""
    messages = {**RULE_MESSAGES, **CONFLICT_CODES, **NOT_FOUND_CODES}
    return "\n".join(f"- `{code}`: {messages[code]}" for code in codes)


class ErrorSerializer(serializers.Serializer):
    """`{"code": "...", "detail": "..."}`."""

    code = serializers.CharField()
    detail = serializers.CharField()


class RuleErrorSerializer(serializers.Serializer):
    """A plan rule's refusal (422): the code is one of a published, stable list."""

    code = serializers.ChoiceField(choices=RULE_CODES)
    detail = serializers.CharField()


class ServerErrorSerializer(ErrorSerializer):
    request_id = serializers.CharField()


def api_description() -> str:
    """The schema's introduction: authentication and every error code, by HTTP status."""
    return "\n".join(
        [
            "For the maker's stores and systems. Send `Authorization: Token <key>` (a token "
            "from `manage.py create_api_token <email>`, for a member of the `partner` group).",
            "",
            'Errors answer `{"code": "...", "detail": "..."}` with a stable code; '
            "malformed input answers 400 with field errors `{field: [messages]}`.",
            "",
            "**409** (already exists):",
            codes_description(["device_exists", "conflict"]),
            "",
            "**404**:",
            codes_description(["device_unknown", "plan_unknown"]),
            "",
            "**422** (a plan rule refused the request):",
            codes_description(RULE_CODES),
        ]
    )


def _responses() -> dict[int, OpenApiResponse]:
    return {
        401: OpenApiResponse(ErrorSerializer, description="No token, or an unknown one."),
        403: OpenApiResponse(ErrorSerializer, description="The token's user is not a partner."),
        500: OpenApiResponse(
            ServerErrorSerializer, description="Unexpected; quote `request_id` to support."
        ),
    }


# Merged into every operation's responses by `extend_schema(responses={...} | COMMON_RESPONSES)`.
COMMON_RESPONSES = _responses()


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema: public (it describes an open-source API; the endpoints stay
    partner-only), and not listed in itself."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.custom_settings = {"DESCRIPTION": api_description()}
        return super().get(request, *args, **kwargs)


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI, its assets served from /static/ (drf-spectacular-sidecar), no CDN. Public: a
    browser has no token to send; "Authorize" takes one to try the endpoints.

    The split view serves the start-up script from the same URL (`?script=`) instead of inline,
    and our template has no inline style: the page runs under the site's Content-Security-Policy
    without a nonce."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    url_name = "api:schema"
    template_name = "core/api_docs.html"


def api_not_found(request: Any, path: str = "") -> JsonResponse:
    """Unknown URLs under /api/v1/ answer JSON like the rest of the API, not an HTML page."""
    return JsonResponse(error_body("not_found", NOT_FOUND_CODES["not_found"]), status=404)
