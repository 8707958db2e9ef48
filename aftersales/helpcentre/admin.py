"""The articles in the admin, for administrators (staff write them on their own pages,
`staff_views.py`; permissions `helpcentre.*_article`, given to the roles by migration 0002);
each save goes through `services.article_save`, which refreshes the search."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title_en", "title_fr", "faq_number", "action", "published", "updated_at"]
    list_filter = ["published", "product_lines"]
    search_fields = ["title_en", "title_fr", "slug"]
    prepopulated_fields = {"slug": ("title_en",)}
    filter_horizontal = ["product_lines"]
    fieldsets = [
        (None, {"fields": ["slug", "faq_number", "published", "position", "action"]}),
        (_("French"), {"fields": ["title_fr", "body_fr", "keywords_fr"]}),
        (_("English"), {"fields": ["title_en", "body_en", "keywords_en"]}),
        (None, {"fields": ["product_lines"]}),
    ]

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        services.article_save(article=obj)
