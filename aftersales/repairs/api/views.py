from __future__ import annotations

import uuid

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.core.api import (
    COMMON_RESPONSES,
    REPAIR_CENTRE_GROUP,
    ErrorSerializer,
    PartnerAPIView,
    codes_description,
    refusals,
)
from aftersales.plans.api.serializers import ReplacementSerializer
from aftersales.repairs.services import case_replacement_grant

from .serializers import ReplacementGrantSerializer


class ReplacementGrantView(PartnerAPIView):
    capability = REPAIR_CENTRE_GROUP

    @extend_schema(
        operation_id="plans_replacements_create",
        summary="Grant a replacement under a plan, for a repair case",
        description=(
            "For repair centres only (a token of the `repair_centre` group). Uses one of the "
            "plan's replacements for the submitted repair case `case_number`, which must be "
            "about the unit the plan covers now: the customer gets `new_serial_number`, a "
            "registered unit of the same model with no plan of its own, and the plan follows "
            "that serial from then on. The fee is the one the plan's contract fixed. "
            "`plan_reference` is the plan's `reference` (coverage of the unit).\n\n"
            "Errors:\n" + codes_description(["plan_unknown"])
        ),
        request=ReplacementGrantSerializer,
        responses={
            201: ReplacementSerializer,
            400: OpenApiResponse(description="Field errors: `{field: [messages]}`."),
            404: OpenApiResponse(ErrorSerializer, description="`plan_unknown`"),
            422: refusals(
                "case_unknown",
                "replaced_unit_not_covered",
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
    def post(self, request: Request, plan_reference: uuid.UUID) -> Response:
        serializer = ReplacementGrantSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = case_replacement_grant(plan_reference=plan_reference, **serializer.validated_data)
        return Response(ReplacementSerializer(event).data, status=status.HTTP_201_CREATED)
