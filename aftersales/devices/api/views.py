from __future__ import annotations

from django.db import IntegrityError, transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.core.api import (
    COMMON_RESPONSES,
    Conflict,
    ErrorSerializer,
    PartnerAPIView,
    codes_description,
)
from aftersales.devices.models import Device

from .serializers import DeviceRegisterSerializer, DeviceSerializer


class DeviceRegisterView(PartnerAPIView):
    @extend_schema(
        operation_id="devices_register",
        summary="Register a device sold by the store",
        description=(
            "Adds a unit to the registry. The serial number is normalised (spaces and dashes "
            "dropped, upper case) before it is checked and stored.\n\n"
            "Errors:\n" + codes_description(["device_exists"])
        ),
        request=DeviceRegisterSerializer,
        responses={
            201: DeviceSerializer,
            400: OpenApiResponse(description="Field errors: `{field: [messages]}`."),
            409: OpenApiResponse(ErrorSerializer, description="`device_exists`"),
        }
        | COMMON_RESPONSES,
        tags=["devices"],
    )
    def post(self, request: Request) -> Response:
        serializer = DeviceRegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if Device.objects.filter(serial_number=data["serial_number"]).exists():
            raise Conflict("device_exists")
        try:
            with transaction.atomic():
                device = Device.objects.create(
                    serial_number=data["serial_number"],
                    model=data["model"],
                    purchase_country=data["purchase_country"],
                    activated_at=data["activated_at"],
                )
        except IntegrityError as error:
            # Registered by a simultaneous request between the check and the insert.
            raise Conflict("device_exists") from error
        return Response(DeviceSerializer(device).data, status=status.HTTP_201_CREATED)
