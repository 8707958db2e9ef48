from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.catalog.models import ProductModel
from aftersales.core.api import COMMON_RESPONSES, PARTNER_GROUP, PartnerAPIView

from .serializers import ProductModelSerializer


class ProductModelListView(PartnerAPIView):
    capability = PARTNER_GROUP

    @extend_schema(
        operation_id="models_list",
        summary="The catalogue's models",
        description="Every model on offer. `line` is the product line's code.",
        responses={200: ProductModelSerializer(many=True)} | COMMON_RESPONSES,
        tags=["catalogue"],
    )
    def get(self, request: Request) -> Response:
        models = ProductModel.objects.filter(is_active=True).select_related("line")
        return Response(ProductModelSerializer(models, many=True).data)
