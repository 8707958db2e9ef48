from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.catalog.models import Component
from aftersales.core.api import (
    COMMON_RESPONSES,
    ApiError,
    ErrorSerializer,
    NotFound,
    PartnerAPIView,
    RuleErrorSerializer,
    codes_description,
)
from aftersales.devices.models import Device, normalize_serial_number
from aftersales.plans.errors import PlanRuleError
from aftersales.plans.models import Offering, OfferingExpressFee, OfferingFee, Plan
from aftersales.plans.ratelimit import FailureLimit
from aftersales.plans.selectors import _warranty_status as warranty_status
from aftersales.plans.services import plan_activate_with_code, plan_bind, replacement_grant

from .serializers import (
    CoverageSerializer,
    OfferingSerializer,
    PlanActivateSerializer,
    PlanCreateSerializer,
    PlanSerializer,
    ReplacementGrantSerializer,
    ReplacementSerializer,
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


def _refusals(*codes: str) -> OpenApiResponse:
    return OpenApiResponse(
        RuleErrorSerializer,
        description="A plan rule refused the request:\n\n" + codes_description(list(codes)),
    )


class PingView(PartnerAPIView):
    """The cheapest authenticated endpoint: a baseline for benchmarks and a credentials check."""

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
    @extend_schema(
        operation_id="plans_create",
        summary="Bind a plan sold by the store",
        description=(
            "A store order: binds a new plan of `offering` to the device `serial_number`. "
            "`purchased_at` defaults to now and may be in the past for back-filled orders; the "
            "plan starts on its local date."
        ),
        request=PlanCreateSerializer,
        responses={
            201: PlanSerializer,
            400: _BAD_INPUT,
            422: _refusals(
                "device_unknown",
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
            offering=data["offering"],
            purchase_country=data["purchase_country"],
            purchased_at=data["purchased_at"],
            channel=data["channel"],
        )
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class PlanActivateView(PartnerAPIView):
    @extend_schema(
        operation_id="plans_activate",
        summary="Bind the plan of an activation card",
        description=(
            "Redeems a single-use activation code for the device. The code's batch country is "
            "the plan's country of purchase."
        ),
        request=PlanActivateSerializer,
        responses={
            201: PlanSerializer,
            400: _BAD_INPUT,
            429: OpenApiResponse(
                description="`rate_limited`: too many refused attempts; try again later."
            ),
            422: _refusals(
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
            (API_REDEMPTION_LIMIT_PER_ADDRESS, request.META.get("REMOTE_ADDR", "")),
        ]
        if any(limit.is_reached(identity) for limit, identity in limits):
            raise TooManyAttempts()
        serializer = PlanActivateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            plan = plan_activate_with_code(
                code=serializer.validated_data["activation_code"],
                serial_number=serializer.validated_data["serial_number"],
            )
        except PlanRuleError:
            for limit, identity in limits:
                limit.record_failure(identity)
            raise
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class CoverageView(PartnerAPIView):
    """Benchmarked (p99 < 20 ms with 1M devices): two queries besides authentication (the
    device with its model, plan and offering; the offering's components), no serializer."""

    @extend_schema(
        operation_id="devices_coverage",
        summary="What covers a device today",
        description=(
            "The ordinary warranty and the plan bound to this serial number (null when none). "
            "A replaced unit's serial has no plan any more: the plan follows the new unit.\n\n"
            "Errors:\n" + codes_description(["device_unknown"])
        ),
        responses={
            200: CoverageSerializer,
            404: OpenApiResponse(ErrorSerializer, description="`device_unknown`"),
        }
        | COMMON_RESPONSES,
        tags=["devices"],
    )
    def get(self, request: Request, serial_number: str) -> Response:
        device = (
            Device.objects.select_related("model", "plan__offering")
            .filter(serial_number=normalize_serial_number(serial_number))
            .first()
        )
        if device is None:
            raise NotFound("device_unknown")
        today = timezone.localdate()
        warranty = warranty_status(device, today)
        plan = getattr(device, "plan", None)
        return Response(
            {
                "serial_number": device.serial_number,
                "model": device.model.code,
                "warranty": {
                    "active": warranty.active,
                    "ends_on": warranty.ends_on.isoformat() if warranty.ends_on else None,
                },
                "plan": _coverage_plan(plan, today) if plan is not None else None,
            }
        )


def _coverage_plan(plan: Plan, today: Any) -> dict[str, Any]:
    next_fee = plan.next_fee
    components = Component.objects.filter(offerings=plan.offering_id).values_list("code", flat=True)
    return {
        "id": plan.pk,
        "offering": plan.offering.code,
        "status": plan.status_on(today).value,
        "starts_on": plan.starts_on.isoformat(),
        "ends_on": plan.ends_on.isoformat(),
        "replacements_allowed": plan.replacements_allowed,
        "replacements_used": plan.replacements_used,
        "replacements_left": plan.replacements_left,
        "next_fee": next_fee.as_json() if next_fee else None,
        "covered_components": list(components),
    }


class ReplacementGrantView(PartnerAPIView):
    @extend_schema(
        operation_id="plans_replacements_create",
        summary="Grant a replacement under a plan",
        description=(
            "Uses one of the plan's replacements: the customer gets `new_serial_number`, a "
            "registered unit of the same model with no plan of its own, and the plan follows "
            "that serial from then on. The fee is the one the plan's contract fixed.\n\n"
            "Errors:\n" + codes_description(["plan_unknown"])
        ),
        request=ReplacementGrantSerializer,
        responses={
            201: ReplacementSerializer,
            400: _BAD_INPUT,
            404: OpenApiResponse(ErrorSerializer, description="`plan_unknown`"),
            422: _refusals(
                "plan_expired",
                "plan_not_started",
                "no_replacements_left",
                "replacement_device_unavailable",
                "replacement_model_mismatch",
                "no_fee_for_replacement",
            ),
        }
        | COMMON_RESPONSES,
        tags=["plans"],
    )
    def post(self, request: Request, plan_id: int) -> Response:
        plan = Plan.objects.filter(pk=plan_id).first()
        if plan is None:
            raise NotFound("plan_unknown")
        serializer = ReplacementGrantSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = replacement_grant(plan=plan, **serializer.validated_data)
        return Response(ReplacementSerializer(event).data, status=status.HTTP_201_CREATED)
