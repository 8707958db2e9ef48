"""The help centre's articles: the FAQ's answers (seed 000) and whatever staff add, in French and
English, each leading to the action it describes."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import ProductLine
from aftersales.core.i18n import localized

from .choices import ArticleAction

# Addresses under /help/ that are pages of their own (urls.py), never an article's.
RESERVED_SLUGS = frozenset({"serial-number", "staff"})


class Article(models.Model):
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    faq_number = models.PositiveSmallIntegerField(
        _("FAQ number"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("The question's number in the FAQ, when the article answers one."),
    )
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    body_fr = models.TextField(_("answer (French)"))
    body_en = models.TextField(_("answer (English)"))
    keywords_fr = models.CharField(
        _("other words (French)"),
        max_length=500,
        blank=True,
        help_text=_("Words customers type for this question that the answer does not use."),
    )
    keywords_en = models.CharField(
        _("other words (English)"),
        max_length=500,
        blank=True,
        help_text=_("Words customers type for this question that the answer does not use."),
    )
    product_lines = models.ManyToManyField(
        ProductLine,
        related_name="articles",
        verbose_name=_("product lines"),
        blank=True,
        help_text=_("The product lines the answer applies to; none: all of them."),
    )
    action = models.CharField(_("action"), max_length=60, choices=ArticleAction.choices, blank=True)
    published = models.BooleanField(_("published"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # PostgreSQL full-text search, one column per language (services.article_search_refresh;
    # the GIN indexes and the accent-folding configurations are in migration 0001). Empty on
    # SQLite, where search.py matches words in Python.
    search_fr = SearchVectorField(null=True, editable=False)
    search_en = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["position", "faq_number", "slug"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("helpcentre:article", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": _("This address is a page of the help centre: choose another one.")}
            )

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def body(self) -> str:
        return localized(self, "body")

    @property
    def action_url(self) -> str:
        return reverse(self.action) if self.action else ""

    @property
    def action_label(self) -> str:
        return str(ArticleAction(self.action).label) if self.action else ""
