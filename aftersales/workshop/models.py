"""The workshop dashboard's daily counts (issue 9, item 6): what happened each day at each
repair centre, counted once from the timeline and the records of that day (`dashboard.py`), so
that a period's figures are a sum over a few thousand rows rather than a pass over every case.
A day is counted once it is over (its moves are appended, never changed); today is counted on
each request."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import Component, ProductModel, RepairCentre


class DailyFigure(models.Model):
    """One count of one day at one centre: `figure` says what (dashboard.OPENED, CLOSED,
    REACHED, STAGE, PROBLEM, COMPONENT, SHARE), `series` which (a status, a problem, a share),
    `bucket` a stage's duration bucket; `seconds` the stages' total duration."""

    day = models.DateField(_("day"))
    centre = models.ForeignKey(
        RepairCentre,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("repair centre"),
    )
    figure = models.CharField(_("figure"), max_length=20)
    series = models.CharField(_("series"), max_length=40, blank=True)
    bucket = models.CharField(_("bucket"), max_length=10, blank=True)
    model = models.ForeignKey(
        ProductModel,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("model"),
    )
    component = models.ForeignKey(
        Component,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("component"),
    )
    count = models.PositiveIntegerField(_("count"))
    seconds = models.BigIntegerField(_("total duration (seconds)"), default=0)

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        indexes = [models.Index(fields=["day", "centre"], name="workshop_daily_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.figure} {self.series}: {self.count}"


class CountedDay(models.Model):
    """A day whose figures are counted (`DailyFigure`), for every centre."""

    day = models.DateField(_("day"), unique=True)
    counted_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("counted day")
        verbose_name_plural = _("counted days")

    def __str__(self) -> str:
        return str(self.day)
