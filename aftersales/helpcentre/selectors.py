"""Reads of the help centre: which articles a reader sees, search and suggestions, and the
answers that depend on the customer's own products, computed by the plans app's rules.

`articles_suggest` is what other apps call (the contact form offers the best answers before a
ticket is sent)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aftersales.core.i18n import localized
from aftersales.devices.models import Device
from aftersales.devices.selectors import devices_of
from aftersales.plans.choices import DamageCause, PlanStatus
from aftersales.plans.models import Offering, Plan
from aftersales.plans.selectors import (
    binding_window_passed,
    coverage_decide,
    plan_replacements_left,
    serial_numbers_bound_with,
    warranty_status,
)

from . import search
from .models import RESERVED_SLUGS, Article


def articles_published() -> QuerySet[Article]:
    return Article.objects.filter(published=True)


def article_for_reader(slug: str, user: Any) -> Article:
    """A published article, or any for staff who may edit them; Article.DoesNotExist else."""
    articles = Article.objects.all()
    if not (getattr(user, "is_staff", False) and user.has_perm("helpcentre.change_article")):
        articles = articles_published()
    return articles.prefetch_related("product_lines").get(slug=slug)


def articles_listed() -> QuerySet[Article]:
    """Every published article, with what a list shows of it (not the texts)."""
    return articles_published().only(*search.LISTED_FIELDS)


def articles_search(text: str, limit: int = 10) -> list[search.Found]:
    """The published articles that answer `text` best, best first (search.py: PostgreSQL's
    full-text search in French and English, or a simple match on SQLite)."""
    return search.search(articles_published(), text, limit)


# What the staff's list of articles shows of each (not the texts nor the search columns).
STAFF_LISTED_FIELDS = (*search.LISTED_FIELDS, "published", "updated_at")


def articles_for_staff(query: str = "") -> QuerySet[Article]:
    """Every article, published or not, for the staff's list: those whose title (in either
    language) or address holds `query`, with their product lines (two queries)."""
    articles = Article.objects.only(*STAFF_LISTED_FIELDS).prefetch_related("product_lines")
    query = query.strip()
    if query:
        articles = articles.filter(
            Q(title_fr__icontains=query) | Q(title_en__icontains=query) | Q(slug__icontains=query)
        )
    return articles


def article_slug_free(base: str) -> str:
    """`base`, or `base-2`, `base-3`… : the first address no article has (for a new one)."""
    base = base[:70].strip("-") or "article"
    taken = set(RESERVED_SLUGS)
    taken.update(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


@dataclass(frozen=True)
class ArticleSuggestion:
    """An article offered for what a customer typed, in the language asked for."""

    slug: str
    faq_number: int | None
    title: str
    url: str  # the article's page (a path)
    action_url: str  # the page of what it describes, or ""
    action_label: str


def articles_suggest(text: str, language: str, limit: int = 3) -> list[ArticleSuggestion]:
    """The `limit` published articles that best answer `text` (a customer's subject and
    description, in French or English), best first, their titles and action labels in
    `language` ("fr" or "en"). An empty list when nothing matches or nothing was typed.

    For the contact form (support): offered before the ticket is sent. The URLs are paths
    without the language (the site's language comes from the cookie). Reads one query on
    PostgreSQL; every published article on SQLite."""
    with translation.override(language):
        return [
            ArticleSuggestion(
                slug=found.article.slug,
                faq_number=found.article.faq_number,
                title=localized(found.article, "title", language),
                url=found.article.get_absolute_url(),
                action_url=found.article.action_url,
                action_label=found.article.action_label,
            )
            for found in articles_search(text, limit)
        ]


# --- Answers for the reader's own products --------------------------------------------------


@dataclass(frozen=True)
class PersonalAnswer:
    device: Device
    text: str


def _product(device: Device) -> str:
    return f"{device.model.display_name} {device.serial_number}"


def _day(value: Any) -> str:
    return date_format(value, "DATE_FORMAT")


def _plan(device: Device) -> Plan | None:
    return getattr(device, "plan", None)


def _binding(device: Device, now: datetime) -> str:
    """FAQ 6 (and 3, 11, 9): may a plan still be bound to this unit?"""
    product = _product(device)
    plan = _plan(device)
    # FAQ 9: one plan per device, ever (a replaced unit keeps its history).
    if plan is not None or serial_numbers_bound_with({device.serial_number}):
        return _("%(product)s: a plan is already bound to it; a device has only one (FAQ 9).") % {
            "product": product
        }
    offering = (
        Offering.objects.filter(product_models=device.model_id, is_active=True)
        .order_by("position", "code")
        .first()
    )
    if offering is None:
        return _("%(product)s: no plan is on sale for this model.") % {"product": product}
    hours = offering.binding_window_hours
    if device.activated_at is None:
        return _(
            "%(product)s: not activated yet — a plan can be bound, until %(hours)s hours after "
            "its activation (FAQ 6)."
        ) % {"product": product, "hours": hours}
    since = timesince(device.activated_at, now)
    # FAQ 6: the plans app's rule, as binding checks it.
    if binding_window_passed(activated_at=device.activated_at, window_hours=hours, at=now):
        return _(
            "%(product)s: activated %(since)s ago — a plan can no longer be bound (FAQ 6)."
        ) % {"product": product, "since": since}
    until = timezone.localtime(device.activated_at + timedelta(hours=hours))
    return _(
        "%(product)s: activated %(since)s ago — a plan can still be bound until %(until)s (FAQ 6)."
    ) % {
        "product": product,
        "since": since,
        "until": date_format(until, "DATETIME_FORMAT"),
    }


def _replacements(device: Device, now: datetime) -> str | None:
    """FAQ 1, 4, 10: how many replacements the unit's plan has left, and until when."""
    plan = _plan(device)
    if plan is None:
        return None
    product = _product(device)
    status = plan.status_on(timezone.localdate(now))
    if status == PlanStatus.EXPIRED:
        # FAQ 9: it cannot be renewed.
        return _("%(product)s: your plan ended on %(ends)s; it cannot be renewed (FAQ 9).") % {
            "product": product,
            "ends": _day(plan.ends_on),
        }
    if status == PlanStatus.NOT_STARTED:
        return _("%(product)s: your plan starts on %(starts)s (FAQ 6).") % {
            "product": product,
            "starts": _day(plan.starts_on),
        }
    # FAQ 1: up to the contract's number of replacements, within its 12 months.
    left = plan_replacements_left(plan)
    return ngettext(
        "%(product)s: your plan has %(left)s replacement left until %(ends)s (FAQ 1).",
        "%(product)s: your plan has %(left)s replacements left until %(ends)s (FAQ 1).",
        left,
    ) % {"product": product, "left": left, "ends": _day(plan.ends_on)}


def _renewal(device: Device, now: datetime) -> str:
    """FAQ 9: a plan is not renewed; a unit without one may still get one (FAQ 6)."""
    plan = _plan(device)
    if plan is None:
        return _binding(device, now)
    return _(
        "%(product)s: your plan runs until %(ends)s and cannot be renewed; no other plan can be "
        "bound to this unit (FAQ 9)."
    ) % {"product": _product(device), "ends": _day(plan.ends_on)}


def _water(device: Device, now: datetime) -> str:
    """FAQ 13: water damage, as the coverage decision of a repair request would decide it."""
    # The unit's first part (the aircraft), as a repair request would name it.
    plan = _plan(device)
    component = device.model.components.order_by("position", "code").first()
    if component is None and plan is not None:
        component = plan.offering.components.order_by("position", "code").first()
    decision = coverage_decide(
        serial_number=device.serial_number,
        component_code=component.code if component else "",
        cause=DamageCause.WATER,
        on_date=timezone.localdate(now),
    )
    reasons = " ".join(str(reason.customer_text) for reason in decision.reasons)
    return f"{_product(device)}: {reasons}"


def _warranty(device: Device, now: datetime) -> str:
    """FAQ 8: the ordinary warranty, counted from activation."""
    warranty = warranty_status(
        activated_at=device.activated_at,
        months=device.model.warranty_months,
        on_date=timezone.localdate(now),
    )
    product = _product(device)
    if warranty.ends_on is None:
        return _("%(product)s: the warranty starts when it is activated (FAQ 8).") % {
            "product": product
        }
    if warranty.active:
        return _("%(product)s: the warranty runs until %(ends)s (FAQ 8).") % {
            "product": product,
            "ends": _day(warranty.ends_on),
        }
    return _("%(product)s: the warranty ended on %(ends)s (FAQ 8).") % {
        "product": product,
        "ends": _day(warranty.ends_on),
    }


def _parts(device: Device, now: datetime) -> str | None:
    """FAQ 7: what the unit's plan covers (the offering's components)."""
    plan = _plan(device)
    if plan is None:
        return None
    names = ", ".join(component.name for component in plan.offering.components.all())
    return _("%(product)s: your plan covers %(parts)s (FAQ 7).") % {
        "product": _product(device),
        "parts": names,
    }


def _serial_number(device: Device, now: datetime) -> str:
    """FAQ 12: where this model's serial number is."""
    return _("%(product)s: %(where)s (FAQ 12)") % {
        "product": device.model.display_name,
        "where": device.model.serial_number_location,
    }


# FAQ number -> the answer for one of the reader's products (None: nothing to say for it).
PERSONAL: dict[int, Callable[[Device, datetime], str | None]] = {
    1: _replacements,
    2: _binding,
    3: _binding,
    4: _replacements,
    6: _binding,
    7: _parts,
    8: _warranty,
    9: _renewal,
    10: _replacements,
    11: _binding,
    12: _serial_number,
    13: _water,
}


def depends_on_device(article: Article) -> bool:
    """Whether the answer says something of each of the reader's products."""
    return (article.faq_number or 0) in PERSONAL


def personal_answers(
    article: Article, user: Any, now: datetime | None = None
) -> list[PersonalAnswer]:
    """What the article's answer means for each of the customer's products (of the article's
    product lines, when it names some), computed now by the plans app's rules."""
    rule = PERSONAL.get(article.faq_number or 0)
    if rule is None or not getattr(user, "is_authenticated", False):
        return []
    now = now or timezone.now()
    devices = devices_of(user).select_related("plan__offering")
    line_ids = {line.pk for line in article.product_lines.all()}
    if line_ids:
        devices = devices.filter(model__line_id__in=line_ids)
    answers = []
    for device in devices:
        text = rule(device, now)
        if text:
            answers.append(PersonalAnswer(device=device, text=text))
    return answers
