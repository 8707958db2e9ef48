"""Express replacement, after the wizard's step (seed 001, « DJI Care Refresh Express »; FAQ 3:
no liability assessment): the fee due at submission, the deadline of the damaged unit once the
replacement has shipped ahead of it, the daily reminders and flags, and the flags reception
raises. The workshop's side (shipping ahead, charging or clearing a flag) is in
`workshop/services.py`; the moves in `lifecycle.MOVES`.

    submitted → awaiting payment (the plan's fee + the Express fee: one payment, `express_terms`)
    → paid: replacing → shipped ahead (new unit, tracking; the plan moves to it) → the damaged
    unit is due back by shipped date + EXPRESS_RETURN_DAYS (end of that day in the centre's
    time zone); reminded EXPRESS_REMINDER_DAYS before, once; flagged when the day is over
    without it, or when it arrives with another serial number or without its battery.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django_tasks import task

from aftersales.core.recurring import RecurringTask, recurring_schedule

from .choices import ExpressFlag, PaymentPurpose, RequestStatus
from .lifecycle import case_note_add, case_transition
from .models import ExpressReturn, Payment, RepairRequest
from .pdf import case_language

logger = logging.getLogger(__name__)

S = RequestStatus


def return_days() -> int:
    return int(settings.AFTERSALES["EXPRESS_RETURN_DAYS"])


def reminder_days() -> int:
    return int(settings.AFTERSALES["EXPRESS_REMINDER_DAYS"])


def charge_default(flags: Iterable[str]) -> Decimal:
    """What an agent charges by default for these flags (settings, the centre's price list):
    the largest of them — a unit that is not the one shipped has its battery's price in it."""
    charges = settings.AFTERSALES["EXPRESS_CHARGES"]
    amounts = [Decimal(charges[flag]) for flag in flags if flag in charges]
    return max(amounts, default=Decimal(0))


def charge_currency() -> str:
    return str(settings.AFTERSALES["EVALUATION_FEE_CURRENCY"])


# --- The fee, at submission ---------------------------------------------------------------------


def express_fee_request(*, case: RepairRequest) -> Payment | None:
    """The Express fee due on a case just submitted with Express (the plan's fee + the Express
    fee, as `selectors.express_terms` states them, one payment), and the case waiting for it
    before the replacement ships. None when the case is no Express case or the amounts cannot
    be added up (no fee configured): then it waits at "submitted" for an agent. Inside the
    submission's transaction, the case locked."""
    from .selectors import express_terms

    terms = express_terms(case)
    if terms is None or terms.total is None:
        return None
    payment, _created = Payment.objects.get_or_create(
        request=case,
        purpose=PaymentPurpose.EXPRESS_FEE,
        quote=None,
        defaults={"amount": terms.total.amount, "currency": terms.total.currency},
    )
    if case.status == S.SUBMITTED:
        case_transition(case=case, to=S.AWAITING_PAYMENT, by=None)
    return payment


# --- The deadline -------------------------------------------------------------------------------


def _zone(case: RepairRequest) -> ZoneInfo:
    centre = case.repair_centre if case.repair_centre_id else None
    if centre is not None and centre.time_zone:
        return ZoneInfo(centre.time_zone)
    return ZoneInfo(settings.TIME_ZONE)


def return_due_by(case: RepairRequest, shipped_at: datetime) -> datetime:
    """The end of the day, in the repair centre's time zone, EXPRESS_RETURN_DAYS calendar days
    after the replacement shipped (seed 001; PRODUCT: « within 7–14 days »): a parcel posted on
    the last day is in time."""
    zone = _zone(case)
    day = shipped_at.astimezone(zone).date() + timedelta(days=return_days())
    return datetime.combine(day, time.max, tzinfo=zone)


def due_date(express: ExpressReturn) -> date:
    """The day the damaged unit is due, as the customer reads it (the centre's calendar)."""
    return express.due_by.astimezone(_zone(express.request)).date()


def express_return_open(
    *, case: RepairRequest, serial_number: str, shipped_at: datetime
) -> ExpressReturn:
    """The damaged unit owed back, from the shipping ahead of its replacement (the case locked
    by the caller)."""
    return ExpressReturn.objects.create(
        request=case,
        serial_number=serial_number,
        shipped_at=shipped_at,
        due_by=return_due_by(case, shipped_at),
    )


def deadline_text(express: ExpressReturn) -> str:
    """« Send … back by <date> », in the active language."""
    return gettext(
        "Send your damaged unit back by %(date)s, with the printed case form and its battery."
    ) % {"date": date_format(due_date(express), "DATE_FORMAT")}


# --- Flags ------------------------------------------------------------------------------------


def express_flag_raise(
    *, case: RepairRequest, express: ExpressReturn, flags: Iterable[str], by: Any
) -> bool:
    """Flags the case for an agent (both rows locked by the caller): the reasons are added to
    those already raised; an internal note says them. False when nothing new."""
    new = [flag for flag in flags if flag in ExpressFlag.values and flag not in express.flags]
    if not new:
        return False
    express.flags = [*express.flags, *new]
    express.flagged_at = express.flagged_at or timezone.now()
    fields = ["flags", "flagged_at"]
    if express.resolved_at is not None:
        # A new reason reopens a flag an agent had dealt with.
        express.resolved_at, express.resolution = None, ""
        fields += ["resolved_at", "resolution"]
    express.save(update_fields=fields)
    case_note_add(
        case=case,
        by=by,
        text=gettext("Express flagged: %(reasons)s. Charge the difference or clear the flag.")
        % {"reasons": ", ".join(str(ExpressFlag(flag).label) for flag in new)},
        customer_visible=False,
    )
    return True


# --- The daily task: reminders before the deadline, flags after it ---------------------------


def _owed(now: datetime) -> Q:
    """Damaged units still owed: the reminder due, or the deadline over without a flag."""
    return Q(request__status=S.EXPRESS_SHIPPED) & (
        Q(reminded_at__isnull=True, due_by__lte=now + timedelta(days=reminder_days()))
        | Q(flagged_at__isnull=True, due_by__lt=now)
    )


def express_returns_check(now: datetime | None = None) -> dict[str, int]:
    """Reminds, once, each customer whose damaged unit is due within EXPRESS_REMINDER_DAYS and
    flags, once, each case whose deadline is over without it. Each case in a transaction of
    its own, its row locked, its state checked again: a second run (or two at once) finds the
    work done and sends nothing more."""
    now = now or timezone.now()
    done = {"reminded": 0, "flagged": 0}
    for pk in ExpressReturn.objects.filter(_owed(now)).values_list("request_id", flat=True):
        with transaction.atomic():
            case = (
                RepairRequest.objects.select_for_update(of=("self",))
                .select_related("repair_centre", "user")
                .get(pk=pk)
            )
            express = ExpressReturn.objects.select_for_update().get(request=case)
            if case.status != S.EXPRESS_SHIPPED:
                continue
            with translation.override(case_language(case)):
                if express.due_by < now and express.flagged_at is None:
                    express.reminded_at = express.reminded_at or now
                    express.save(update_fields=["reminded_at"])
                    express_flag_raise(
                        case=case, express=express, flags=[ExpressFlag.NOT_RETURNED], by=None
                    )
                    case_note_add(
                        case=case,
                        by=None,
                        text=gettext(
                            "We have not received your damaged unit by %(date)s, as Express "
                            "requires: the difference will be charged to you. Our team will "
                            "contact you; if you have sent it, write to us with its tracking "
                            "number."
                        )
                        % {"date": date_format(due_date(express), "DATE_FORMAT")},
                        customer_visible=True,
                    )
                    done["flagged"] += 1
                elif express.reminded_at is None and express.due_by >= now:
                    express.reminded_at = now
                    express.save(update_fields=["reminded_at"])
                    case_note_add(
                        case=case,
                        by=None,
                        text=gettext(
                            "Reminder: %(deadline)s If it does not reach us in time, "
                            "the difference will be charged to you."
                        )
                        % {"deadline": deadline_text(express)},
                        customer_visible=True,
                    )
                    done["reminded"] += 1
    if any(done.values()):
        logger.info("Express returns checked", extra=done)
    return done


@task()
def express_returns_daily() -> dict[str, int]:
    recurring_schedule(DAILY_EXPRESS_RETURNS)
    return express_returns_check()


# In the morning, local time: the reminder arrives during the customer's day.
DAILY_EXPRESS_RETURNS = RecurringTask(task=express_returns_daily, at=time(7, 30))
