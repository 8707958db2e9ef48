"""What every endpoint of the partner API shares: who may call it, how errors answer, and the
list of error codes the docs publish.

Who may do what is decided here and nowhere else: every endpoint declares the capability it
needs (`PartnerAPIView.capability`), `HasCapability` checks it before the view runs, and the
objects an endpoint acts on are reached through services that enforce the rest (a replacement
needs a real case of the plan, `repairs.services.case_replacement_grant`). The policy, in words:
docs/architecture.md ("The partner API: who may do what").

Errors always answer JSON with a stable `code` and a readable `detail`:
- 400 malformed input: field errors (`{"field": ["message"]}`, a NUL in a text included), or
  `{"code": ...}` for a body that is not JSON (`parse_error`) or a request that cannot be read
  (`bad_request`: a NUL in the query string, core.middleware);
- 401 no or bad token, 403 a capability the token's account lacks, 404 unknown resource;
- 409 a resource that already exists (`core.errors.ConflictError`, e.g. `device_exists`);
- 422 a rule refused the request (`core.errors.DomainError`, one code per rule);
- 500 anything unexpected: logged with the request id, answered without a traceback.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC
from typing import Any, ClassVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import IntegrityError, connection
from django.http import HttpRequest, JsonResponse
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

from .errors import ConflictError, DomainError, NotFoundError, published_codes

logger = logging.getLogger(__name__)

# --- Who may call what -------------------------------------------------------------------------

# A capability is a group of accounts (migrations accounts 0003 and 0004); a token opens what its
# account's groups allow. Superusers have every capability.
# The maker's stores and systems: register devices, sell plans, read coverage.
PARTNER_GROUP = "partner"
# Repair centres: grant replacements under a plan, for a case (`create_api_token --repair-centre`
# puts the account in both groups: a centre also reads coverage and registers its stock).
REPAIR_CENTRE_GROUP = "repair_centre"
CAPABILITIES = (PARTNER_GROUP, REPAIR_CENTRE_GROUP)

CAPABILITY_REFUSALS = {
    PARTNER_GROUP: _("This API is for partner systems only."),
    REPAIR_CENTRE_GROUP: _("Only a repair centre may do this."),
}

# DRF's tokens: 40 hexadecimal digits. Anything else is refused before the database sees it.
_TOKEN_KEY = re.compile(r"[0-9a-f]{40}")


class PartnerTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, as DRF's, in one SQL query that also says which capabilities
    the account has. Every API call pays for authentication, and the ORM's query building costs
    more than the query itself: this keeps the coverage lookup within its budget (issue 3)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        if not _TOKEN_KEY.fullmatch(key):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user_model = get_user_model()
        # Concrete fields are exactly those with a column: the filter only narrows the type.
        columns = [
            field.column for field in user_model._meta.concrete_fields if field.column is not None
        ]
        attnames = [field.attname for field in user_model._meta.concrete_fields]
        quote = connection.ops.quote_name
        membership = user_model.groups.through._meta.db_table
        # One EXISTS per capability, in the order of CAPABILITIES. Identifiers only come from
        # the models' metadata; the group names and the key are bound parameters.
        in_group = (
            f"EXISTS (SELECT 1 FROM {quote(membership)} m JOIN {quote(Group._meta.db_table)} g "  # noqa: S608
            "ON g.id = m.group_id WHERE m.user_id = u.id AND g.name = %s)"
        )
        sql = (
            f"SELECT {', '.join(f'u.{quote(column)}' for column in columns)}, "  # noqa: S608
            f"{', '.join([in_group] * len(CAPABILITIES))} "
            f"FROM {quote(Token._meta.db_table)} t JOIN {quote(user_model._meta.db_table)} u "
            "ON u.id = t.user_id WHERE t.key = %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*CAPABILITIES, key])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        count = len(CAPABILITIES)
        user = user_model.from_db(connection.alias, attnames, row[:-count])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        user._api_capabilities = frozenset(  # type: ignore[attr-defined]
            capability for capability, held in zip(CAPABILITIES, row[-count:], strict=True) if held
        )
        return user, Token(key=key, user=user)


def api_capabilities(user: Any) -> frozenset[str]:
    """What this account may do through the API."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    if user.is_superuser:
        return frozenset(CAPABILITIES)
    known = getattr(user, "_api_capabilities", None)  # set by PartnerTokenAuthentication
    if known is not None:
        return frozenset(known)
    return frozenset(user.groups.filter(name__in=CAPABILITIES).values_list("name", flat=True))


class HasCapability(BasePermission):
    """The one check of who may call an endpoint: the capability the view declares. A view that
    declares none is closed to everyone."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        required = getattr(view, "capability", None)
        if required not in CAPABILITIES:
            return False
        if required in api_capabilities(request.user):
            return True
        self.message = CAPABILITY_REFUSALS[required]
        return False


class PartnerAPIView(APIView):
    """The base of every partner endpoint: token auth, the declared capability, JSON in and
    out."""

    # What the caller must be allowed to do: one of CAPABILITIES. Every endpoint says it.
    capability: ClassVar[str | None] = None

    authentication_classes = [PartnerTokenAuthentication]
    permission_classes = [HasCapability]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]


# --- Input and output fields --------------------------------------------------------------------
# The schema states what each field accepts, and these fields accept exactly that: what the docs
# call valid is accepted, anything else is a 400 at the field (never a value bent into shape).


class TextField(serializers.CharField):
    """A JSON string, and only a string (DRF's CharField also takes numbers). NUL and lone
    surrogates are refused at the field, as by CharField."""

    default_error_messages = {"invalid": _("Enter text (a JSON string).")}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class PatternField(TextField):
    """A string of a given format, checked as sent (before any normalisation) so that the
    schema's `pattern` and `maxLength` say exactly what is accepted."""

    default_error_messages = {"format": _("Enter a value in the documented format.")}

    def __init__(self, *, pattern: str, format_message: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)
        # The schema's pattern is an ECMAScript one, where `$` ends the string; in Python it may
        # also match before a final line break, which the schema would not accept.
        self.pattern = re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern)
        if format_message is not None:
            self.error_messages["format"] = format_message
        # What the schema publishes as `pattern` (drf-spectacular reads the validators). It holds
        # for the value as returned too, so running it again there refuses nothing.
        self.validators.append(RegexValidator(pattern, message=self.error_messages["format"]))

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        if not self.pattern.search(data):
            self.fail("format")
        return super().to_internal_value(data)


# RFC 3339 (the schema's `date-time`): a date, `T`, a time and the offset, which is required.
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(?:[Zz]|[+-][0-9]{2}:[0-9]{2})"
)


class MomentField(serializers.DateTimeField):
    """A moment in and out of the API: RFC 3339 with its offset when sent (a time without one
    would be read in some time zone the partner cannot see), UTC when answered
    (`2026-01-15T09:00:00Z`). In the site's time zone a date of long ago would carry a
    local-mean-time offset with seconds (Amsterdam: +00:19:32), which RFC 3339 does not allow."""

    default_error_messages = {
        "invalid": _(
            "Enter a date and time with its offset (RFC 3339), e.g. 2026-01-15T10:00:00+01:00."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default_timezone", UTC)
        super().__init__(**kwargs)

    def to_internal_value(self, value: Any) -> Any:
        if not isinstance(value, str) or not _RFC3339.fullmatch(value):
            self.fail("invalid", format="RFC 3339")
        # RFC 3339 allows a lower-case `t` and `z`; Python's parser wants them upper case.
        return super().to_internal_value(value.upper())


class ApiError(exceptions.APIException):
    """An error with a stable code the partner's system can act on."""

    def __init__(self, code: str, detail: Any = None) -> None:
        super().__init__(detail=detail, code=code)
        self.error_code = code


# Codes the API itself answers, besides the apps' published errors.
NOT_FOUND = _("Not found.")
CONFLICT = _("This conflicts with data that already exists.")
BAD_REQUEST = _("The request cannot be read. Check what was sent.")
SERVER_ERROR = _("Something went wrong on our side. Quote the request id to support.")


def error_body(code: str, detail: Any) -> dict[str, str]:
    return {"code": code, "detail": str(detail)}


def _domain_status(error: DomainError) -> int:
    if isinstance(error, NotFoundError):
        return status.HTTP_404_NOT_FOUND
    if isinstance(error, ConflictError):
        return status.HTTP_409_CONFLICT
    return status.HTTP_422_UNPROCESSABLE_ENTITY


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every error answers JSON, never a bare 500."""
    if isinstance(exc, DomainError):
        set_rollback()
        return Response(error_body(exc.code, exc.message), status=_domain_status(exc))
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
        return Response(error_body("conflict", CONFLICT), status=status.HTTP_409_CONFLICT)
    logger.error(
        "Partner API: unexpected error",
        exc_info=exc,
        extra=_log_context(request, context, request_id),
    )
    return Response(server_error_body(request_id), status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def server_error_body(request_id: str | None) -> dict[str, str]:
    body = error_body("server_error", SERVER_ERROR)
    body["request_id"] = request_id or ""
    return body


def _log_context(request: Any, context: dict[str, Any], request_id: str | None) -> dict[str, Any]:
    view = context.get("view")
    # The user only if authentication got that far: reading `request.user` would authenticate
    # again, and when the database is down that raises inside the error handler.
    user = getattr(request, "__dict__", {}).get("_user")
    return {
        "request_id": request_id,
        "view": type(view).__name__ if view is not None else None,
        "method": getattr(request, "method", None),
        "path": getattr(request, "path", None),
        "user_id": getattr(user, "pk", None),
    }


# --- For the OpenAPI docs ----------------------------------------------------------------------


def _api_messages() -> dict[str, Any]:
    return {
        **published_codes(NotFoundError),
        **published_codes(ConflictError),
        **published_codes(DomainError),
        "not_found": NOT_FOUND,
        "conflict": CONFLICT,
    }


def codes_description(codes: list[str] | dict[str, Any]) -> str:
    """A Markdown list of codes with their messages, for an operation's description."""
    messages = _api_messages()
    return "\n".join(f"- `{code}`: {messages[code]}" for code in codes)


class ErrorSerializer(serializers.Serializer):
    """`{"code": "...", "detail": "..."}`."""

    code = serializers.CharField()
    detail = serializers.CharField()


class RuleErrorSerializer(serializers.Serializer):
    """A rule's refusal (422): the code is one of a published, stable list."""

    code = serializers.CharField()
    detail = serializers.CharField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The apps publish their codes when they are ready, after this module is imported.
        self.fields["code"] = serializers.ChoiceField(choices=sorted(published_codes()))


def refusals(*codes: str) -> OpenApiResponse:
    """An operation's 422, with the codes it may answer."""
    return OpenApiResponse(
        RuleErrorSerializer,
        description="A rule refused the request:\n\n" + codes_description(list(codes)),
    )


class ServerErrorSerializer(ErrorSerializer):
    request_id = serializers.CharField()


def api_description() -> str:
    """The schema's introduction: authentication, who may do what, and every error code."""
    return "\n".join(
        [
            "For the maker's stores, factories and repair centres. Send "
            "`Authorization: Token <key>` (a token from `manage.py create_api_token <email>`).",
            "",
            "**Who may do what.** A token of the `partner` group (stores, factories) reads the "
            "catalogue and the offerings, registers devices, sells plans (`POST plans`, "
            "`POST plans/activate`) for any registered device — a unit bought in one store may "
            "get its plan in another — and reads the coverage of any serial number. Answers "
            "never show who registered a device or sold a plan, and name a plan only by its "
            "random `reference`. Granting a replacement needs a token of the `repair_centre` "
            "group (`create_api_token --repair-centre`) and the number of a submitted repair "
            "case about the unit the plan covers now.",
            "",
            "Times are RFC 3339: answered in UTC (`Z`), sent with their offset "
            "(`2026-01-15T10:00:00+01:00`), from the year 2000 to now. No text may contain the "
            "NUL character (U+0000): such a field is refused with 400.",
            "",
            'Errors answer `{"code": "...", "detail": "..."}` with a stable code; '
            "malformed input answers 400 with field errors `{field: [messages]}`.",
            "",
            "**409** (already exists):",
            codes_description(sorted(published_codes(ConflictError))),
            "",
            "**404**:",
            codes_description(sorted(published_codes(NotFoundError))),
            "",
            "**422** (a rule refused the request):",
            codes_description(sorted(published_codes())),
        ]
    )


def _responses() -> dict[int, OpenApiResponse]:
    return {
        401: OpenApiResponse(ErrorSerializer, description="No token, or an unknown one."),
        403: OpenApiResponse(
            ErrorSerializer, description="The token's account may not do this (its groups)."
        ),
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


def is_api_request(request: HttpRequest) -> bool:
    """Requests whose errors answer the API's JSON rather than an HTML page."""
    return request.path_info.startswith("/api/")


def api_error_response(request: HttpRequest, status_code: int) -> JsonResponse:
    """The API's JSON for an error Django answers before or after the API's views (an unknown
    URL, a request that cannot be read, a failure outside a view)."""
    if status_code == 404:
        body = error_body("not_found", NOT_FOUND)
    elif status_code == 400:
        body = error_body("bad_request", BAD_REQUEST)
    else:
        body = server_error_body(getattr(request, "request_id", None))
    return JsonResponse(body, status=status_code)
