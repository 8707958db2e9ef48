from __future__ import annotations

import functools
import json
import re
import time
import uuid
from typing import Any

from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.catalog.models import Component
from aftersales.core.api import (
    COMMON_RESPONSES,
    PARTNER_GROUP,
    ApiError,
    ErrorSerializer,
    PartnerAPIView,
    codes_description,
    refusals,
)
from aftersales.core.http import client_address
from aftersales.core.ratelimit import FailureLimit
from aftersales.devices.api.serializers import SERIAL_NUMBER_MAX_LENGTH, SERIAL_NUMBER_PATTERN
from aftersales.devices.errors import DeviceNotFound
from aftersales.devices.models import Device, normalize_serial_number
from aftersales.plans.errors import PlanRuleError
from aftersales.plans.models import (
    Offering,
    OfferingExpressFee,
    OfferingFee,
    Plan,
)
from aftersales.plans.selectors import offering_by_code, warranty_status
from aftersales.plans.services import plan_activate_with_code, plan_bind

from .serializers import (
    CoverageSerializer,
    OfferingSerializer,
    PlanActivateSerializer,
    PlanCreateSerializer,
    PlanSerializer,
)

API_REDEMPTION_LIMIT_PER_ACCOUNT = FailureLimit(scope="api:redeem:account", limit=100, window=3600)
API_REDEMPTION_LIMIT_PER_ADDRESS = FailureLimit(scope="api:redeem:address", limit=200, window=3600)


class TooManyAttempts(ApiError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS

    def __init__(self) -> None:
        super().__init__(
            "rate_limited",
            _("Too many refused activation attempts. Try again in an hour."),
        )


_BAD_INPUT = OpenApiResponse(description="Field errors: `{field: [messages]}`.")


# The serial number in a URL: the same format as in a body (the path cannot carry a NUL, see
# core.middleware).
_SERIAL_NUMBER = re.compile(SERIAL_NUMBER_PATTERN[:-1] + r"\Z")
SERIAL_NUMBER_PARAMETER = OpenApiParameter(
    "serial_number",
    {"type": "string", "pattern": SERIAL_NUMBER_PATTERN, "maxLength": SERIAL_NUMBER_MAX_LENGTH},
    OpenApiParameter.PATH,
    description="As printed on the unit; spaces and dashes between groups are allowed.",
)


class PingView(PartnerAPIView):
    """The cheapest authenticated endpoint: a baseline for benchmarks and a credentials check."""

    capability = PARTNER_GROUP

    @extend_schema(
        operation_id="ping",
        summary="Check the token",
        responses={200: inline_serializer("Ping", {"status": serializers.CharField()})}
        | COMMON_RESPONSES,
        tags=["status"],
    )
    def get(self, request: Request) -> Response:
        return Response({"status": "ok"})


class OfferingListView(PartnerAPIView):
    capability = PARTNER_GROUP

    @extend_schema(
        operation_id="offerings_list",
        summary="The plans a store may sell",
        description=(
            "Offerings on sale: the models they cover, every country where they are sold, and "
            "the fee of each replacement per sales region (`amount` is a decimal string)."
        ),
        responses={200: OfferingSerializer(many=True)} | COMMON_RESPONSES,
        tags=["plans"],
    )
    def get(self, request: Request) -> Response:
        offerings = Offering.objects.filter(is_active=True).prefetch_related(
            "product_models",
            "regions",
            Prefetch("fees", queryset=OfferingFee.objects.select_related("region")),
            Prefetch("express_fees", queryset=OfferingExpressFee.objects.select_related("region")),
        )
        return Response(OfferingSerializer(offerings, many=True).data)


class PlanCreateView(PartnerAPIView):
    capability = PARTNER_GROUP

    @extend_schema(
        operation_id="plans_create",
        summary="Bind a plan sold by the store",
        description=(
            "A store order: binds a new plan of `offering` to the device `serial_number`. "
            "`purchased_at` defaults to now and may be in the past for back-filled orders; the "
            "plan starts on its local date. Any registered device may get a plan, whoever "
            "registered it (a unit bought in one store may get its plan in another); the answer "
            "shows nothing of the other partner."
        ),
        request=PlanCreateSerializer,
        responses={
            201: PlanSerializer,
            400: _BAD_INPUT,
            422: refusals(
                "device_unknown",
                "offering_unknown",
                "offering_unavailable",
                "model_not_covered",
                "already_has_plan",
                "not_sold_in_country",
                "region_mismatch",
                "binding_window_passed",
            ),
        }
        | COMMON_RESPONSES,
        tags=["plans"],
    )
    def post(self, request: Request) -> Response:
        serializer = PlanCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        plan = plan_bind(
            serial_number=data["serial_number"],
            offering=offering_by_code(data["offering"]),
            purchase_country=data["purchase_country"],
            purchased_at=data["purchased_at"],
            channel=data["channel"],
            sold_by=request.user,
        )
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class PlanActivateView(PartnerAPIView):
    capability = PARTNER_GROUP

    @extend_schema(
        operation_id="plans_activate",
        summary="Bind the plan of an activation card",
        description=(
            "Redeems a single-use activation code for the device. The code's batch country is "
            "the plan's country of purchase. As for `POST plans`, any registered device."
        ),
        request=PlanActivateSerializer,
        responses={
            201: PlanSerializer,
            400: _BAD_INPUT,
            429: OpenApiResponse(
                description="`rate_limited`: too many refused attempts; try again later."
            ),
            422: refusals(
                "code_invalid",
                "code_used",
                "code_wrong_offering",
                "device_unknown",
                "offering_unavailable",
                "already_has_plan",
                "not_sold_in_country",
                "region_mismatch",
                "binding_window_passed",
            ),
        }
        | COMMON_RESPONSES,
        tags=["plans"],
    )
    def post(self, request: Request) -> Response:
        # Issue 3: redemption attempts are rate-limited per account and per address. Only
        # refusals count, so a store redeeming many good cards is never slowed down.
        limits = [
            (API_REDEMPTION_LIMIT_PER_ACCOUNT, request.user.pk),
            (API_REDEMPTION_LIMIT_PER_ADDRESS, client_address(request)),
        ]
        if any(limit.is_reached(identity) for limit, identity in limits):
            raise TooManyAttempts()
        serializer = PlanActivateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            plan = plan_activate_with_code(
                code=serializer.validated_data["activation_code"],
                serial_number=serializer.validated_data["serial_number"],
                sold_by=request.user,
            )
        except PlanRuleError:
            for limit, identity in limits:
                limit.record_failure(identity)
            raise
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class CoverageView(PartnerAPIView):
    """Benchmarked (p99 < 20 ms with 1M devices): one query besides authentication (the device
    with its model, plan and offering; the offering's components are kept a minute per
    process), no serializer. Any partner may read any serial's coverage: the answer holds no
    internal id (the plan is named by its random reference) and nothing of other partners."""

    capability = PARTNER_GROUP

    @extend_schema(
        operation_id="devices_coverage",
        summary="What covers a device today",
        description=(
            "The ordinary warranty and the plan bound to this serial number (null when none). "
            "A replaced unit's serial has no plan any more: the plan follows the new unit.\n\n"
            "Errors:\n" + codes_description(["device_unknown"])
        ),
        parameters=[SERIAL_NUMBER_PARAMETER],
        responses={
            200: CoverageSerializer,
            404: OpenApiResponse(ErrorSerializer, description="`device_unknown`"),
        }
        | COMMON_RESPONSES,
        tags=["devices"],
    )
    def get(self, request: Request, serial_number: str) -> Response:
        # A serial number that cannot exist is not looked up.
        row = None
        if len(serial_number) <= SERIAL_NUMBER_MAX_LENGTH and _SERIAL_NUMBER.match(serial_number):
            row = _coverage_row(normalize_serial_number(serial_number))
        if row is None:
            raise DeviceNotFound("device_unknown")
        today = timezone.localdate()
        serial, activated_at, model_code, warranty_months, plan_id = row[:5]
        warranty = warranty_status(activated_at=activated_at, months=warranty_months, on_date=today)
        plan = None
        if plan_id is not None:
            starts_on, ends_on, allowed, used, fee_schedule, offering_id, offering_code = row[5:12]
            reference = row[12]
            plan = Plan(
                id=plan_id,
                reference=reference if isinstance(reference, uuid.UUID) else uuid.UUID(reference),
                starts_on=starts_on,
                ends_on=ends_on,
                replacements_allowed=allowed,
                replacements_used=used,
                fee_schedule=json.loads(fee_schedule)
                if isinstance(fee_schedule, str)
                else fee_schedule,
                offering_id=offering_id,
            )
        return Response(
            {
                "serial_number": serial,
                "model": model_code,
                "warranty": {
                    "active": warranty.active,
                    "ends_on": warranty.ends_on.isoformat() if warranty.ends_on else None,
                },
                "plan": _coverage_plan(plan, offering_code, today) if plan is not None else None,
            }
        )


@functools.cache
def _coverage_sql() -> str:
    """The device, its model and its plan in one statement. The ORM's query building costs
    twenty times the query here, and this is the API's hottest path (issue 3: p99 < 20 ms)."""
    quote = connection.ops.quote_name
    device, model = Device._meta, Device._meta.get_field("model").related_model._meta
    plan, offering = Plan._meta, Plan._meta.get_field("offering").related_model._meta
    # Identifiers come from the models' metadata only; the serial number is a parameter.
    return (
        f"SELECT d.serial_number, d.activated_at, m.code, m.warranty_months, p.id, "  # noqa: S608
        f"p.starts_on, p.ends_on, p.replacements_allowed, p.replacements_used, "
        f"p.fee_schedule, p.offering_id, o.code, p.reference "
        f"FROM {quote(device.db_table)} d "
        f"JOIN {quote(model.db_table)} m ON m.id = d.model_id "
        f"LEFT JOIN {quote(plan.db_table)} p ON p.device_id = d.id "
        f"LEFT JOIN {quote(offering.db_table)} o ON o.id = p.offering_id "
        f"WHERE d.serial_number = %s"
    )


def _coverage_row(serial_number: str) -> tuple[Any, ...] | None:
    with connection.cursor() as cursor:
        cursor.execute(_coverage_sql(), [serial_number])
        return cursor.fetchone()


# The components an offering covers change only when an administrator edits the offering: each
# process keeps them for a minute rather than asking the database on every coverage lookup.
_COMPONENTS_TTL = 60.0
_components_cache: dict[int, tuple[float, list[str]]] = {}


def _covered_components(offering_id: int) -> list[str]:
    now = time.monotonic()
    cached = _components_cache.get(offering_id)
    if cached is not None and now - cached[0] < _COMPONENTS_TTL:
        return cached[1]
    codes = list(
        Component.objects.filter(offerings=offering_id)
        .order_by("position", "code")
        .values_list("code", flat=True)
    )
    _components_cache[offering_id] = (now, codes)
    return codes


def _coverage_plan(plan: Plan, offering_code: str, today: Any) -> dict[str, Any]:
    next_fee = plan.next_fee
    components = _covered_components(plan.offering_id)
    return {
        "reference": str(plan.reference),
        "offering": offering_code,
        "status": plan.status_on(today).value,
        "starts_on": plan.starts_on.isoformat(),
        "ends_on": plan.ends_on.isoformat(),
        "replacements_allowed": plan.replacements_allowed,
        "replacements_used": plan.replacements_used,
        "replacements_left": plan.replacements_left,
        "next_fee": next_fee.as_json() if next_fee else None,
        "covered_components": components,
    }
