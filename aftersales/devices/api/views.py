from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.core.api import (
    COMMON_RESPONSES,
    PARTNER_GROUP,
    ErrorSerializer,
    PartnerAPIView,
    codes_description,
    refusals,
)
from aftersales.devices.services import device_register

from .serializers import DeviceRegisterSerializer, DeviceSerializer


class DeviceRegisterView(PartnerAPIView):
    capability = PARTNER_GROUP

    @extend_schema(
        operation_id="devices_register",
        summary="Register a device sold by the store",
        description=(
            "Adds a unit to the registry. The serial number is normalised (spaces and dashes "
            "dropped, upper case) before it is checked and stored. The registry remembers which "
            "partner registered the unit; no other partner is ever shown it.\n\n"
            "Errors:\n" + codes_description(["device_exists", "model_unknown"])
        ),
        request=DeviceRegisterSerializer,
        responses={
            201: DeviceSerializer,
            400: OpenApiResponse(description="Field errors: `{field: [messages]}`."),
            409: OpenApiResponse(ErrorSerializer, description="`device_exists`"),
            422: refusals("model_unknown"),
        }
        | COMMON_RESPONSES,
        tags=["devices"],
    )
    def post(self, request: Request) -> Response:
        serializer = DeviceRegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        device = device_register(
            serial_number=data["serial_number"],
            model_code=data["model"],
            purchase_country=data["purchase_country"],
            activated_at=data["activated_at"],
            registered_by=request.user,
        )
        return Response(DeviceSerializer(device).data, status=status.HTTP_201_CREATED)
