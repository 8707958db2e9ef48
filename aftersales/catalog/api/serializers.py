from __future__ import annotations

from rest_framework import serializers

from aftersales.catalog.choices import ModelKind
from aftersales.catalog.models import ProductModel


class ProductModelSerializer(serializers.ModelSerializer):
    line = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind = serializers.ChoiceField(choices=ModelKind.choices, read_only=True)

    class Meta:
        model = ProductModel
        fields = ["code", "name", "line", "kind"]
        read_only_fields = fields
