"""Accounts workflows: sign-up and e-mail verification, the profile, the address book.

Views call these; they never change a user or an address themselves.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from aftersales.core.emails import email_send_templated
from aftersales.core.ratelimit import FailureLimit

from .models import Address, User

logger = logging.getLogger(__name__)

_VERIFY_SALT = "aftersales.accounts.verify_email"
# The e-mails a visitor can trigger for any address (a new verification link, a password reset,
# the notice of a sign-up attempt) are sent at most this often per address and hour, so that
# the forms cannot be used to flood someone's mailbox.
MAIL_LIMIT_PER_HOUR = 3
RESEND_LIMIT_PER_HOUR = MAIL_LIMIT_PER_HOUR

ADDRESS_FIELDS = (
    "full_name",
    "company",
    "street",
    "street2",
    "postcode",
    "city",
    "country",
    "phone",
    "vat_number",
)


class InvalidVerificationToken(Exception):
    """The link is expired, tampered with, or already used."""


# --- Sign-up and e-mail verification -------------------------------------------------------


def _verification_token(user: User) -> str:
    # The e-mail and the verified state are part of the payload: the link stops working once the
    # address is verified or changed, without storing anything.
    payload = {"id": user.pk, "email": user.email, "verified": user.is_email_verified}
    return signing.dumps(payload, salt=_VERIFY_SALT, compress=True)


def user_sign_up(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    preferred_language: str,
    base_url: str,
) -> None:
    """Create a customer whose e-mail is not verified yet, and send the verification link.

    When the address already has an account, nothing is created and its owner is told by
    e-mail instead. The visitor gets the same answer either way, in about the same time (the
    password is hashed in both cases): sign-up does not tell who has an account.

    `base_url` is the site's absolute root as the visitor reached it (scheme and host)."""
    user = User(
        email=User.objects.normalize_email(email).lower(),
        first_name=first_name,
        last_name=last_name,
        preferred_language=preferred_language,
        email_verified_at=None,
    )
    user.set_password(password)
    try:
        # The database's unique index decides, so that two sign-ups at once cannot both win.
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # A deactivated account's owner is not written to; the answer stays the same.
        owner = User.objects.filter(email__iexact=user.email, is_active=True).first()
        if owner is not None:
            _tell_owner_of_sign_up_attempt(owner=owner, base_url=base_url)
        return
    user_send_verification(user=user, base_url=base_url)


def _tell_owner_of_sign_up_attempt(*, owner: User, base_url: str) -> None:
    """Someone tried to sign up with the address of an existing account: tell its owner, in
    the owner's language, at most a few times an hour (the form must not flood a mailbox)."""
    if not _mail_allowed(scope="accounts:signup-attempt", email=owner.email):
        logger.info("Sign-up attempt notice rate-limited")
        return
    email_send_templated(
        to=owner.email,
        template="accounts/emails/signup_attempt",
        context={
            "user": owner,
            "login_url": urljoin(base_url, reverse("accounts:login")),
            "reset_url": urljoin(base_url, reverse("accounts:password_reset")),
        },
        language=owner.preferred_language,
    )


def _mail_allowed(*, scope: str, email: str) -> bool:
    """At most MAIL_LIMIT_PER_HOUR e-mails of one kind per address and hour. Every request
    counts, not only refusals: it is sending mail that is limited."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    sends = FailureLimit(scope=scope, limit=MAIL_LIMIT_PER_HOUR, window=60 * 60)
    return sends.record_failure(digest) <= MAIL_LIMIT_PER_HOUR


def user_send_verification(*, user: User, base_url: str) -> None:
    """Mail the verification link, written in the user's language."""
    path = reverse("accounts:verify_email", kwargs={"token": _verification_token(user)})
    email_send_templated(
        to=user.email,
        template="accounts/emails/verify_email",
        context={
            "user": user,
            "verify_url": urljoin(base_url, path),
            "valid_days": max(settings.EMAIL_VERIFICATION_MAX_AGE // (60 * 60 * 24), 1),
        },
        language=user.preferred_language,
    )


def user_verify_email(token: str) -> User:
    """Mark the user's e-mail verified; InvalidVerificationToken when the link cannot be used."""
    try:
        payload = signing.loads(
            token, salt=_VERIFY_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE
        )
        user_id, email = int(payload["id"]), str(payload["email"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidVerificationToken from None
    with transaction.atomic():
        # Locked so that two clicks at once verify once.
        user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if user is None or user.email != email or payload.get("verified") or user.is_email_verified:
            raise InvalidVerificationToken
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


def user_password_reset_mail_allowed(*, email: str) -> bool:
    """Whether a password-reset e-mail may go to this address now (see MAIL_LIMIT_PER_HOUR)."""
    return _mail_allowed(scope="accounts:password-reset", email=email)


def user_mark_email_verified(*, user: User) -> None:
    """Someone who used a link sent to the address owns it (password reset)."""
    if not user.is_email_verified:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])


def user_resend_verification(*, email: str, base_url: str) -> None:
    """Send a new link when `email` belongs to an unverified account.

    Says nothing either way, so that the form does not tell whether an address has an account."""
    if not _mail_allowed(scope="accounts:resend-verification", email=email):
        logger.info("Verification resend rate-limited")
        return
    user = User.objects.filter(
        email__iexact=email.strip(), is_active=True, email_verified_at__isnull=True
    ).first()
    if user is not None:
        user_send_verification(user=user, base_url=base_url)


# --- Log-in guessing ----------------------------------------------------------------------
# django-axes locks an account on one address after a few failures. These limits catch what
# it does not: one password tried on many accounts from one address (password spraying), and
# one account tried from many addresses. They live in the cache (shared by every process in
# production) and a successful log-in does not reset them: otherwise an attacker with an
# account of their own would clear the address's count after every few guesses.


def _login_limits() -> tuple[FailureLimit, FailureLimit]:
    window = settings.LOGIN_FAILURE_WINDOW_MINUTES * 60
    return (
        FailureLimit(
            scope="accounts:login:address",
            limit=settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS,
            window=window,
        ),
        FailureLimit(
            scope="accounts:login:account",
            limit=settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT,
            window=window,
        ),
    )


def _account_key(email: str) -> str:
    # Known or not, an address is counted the same way: the limit tells nothing about who has
    # an account. Hashed, so that the cache holds no e-mail addresses.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def login_limit_reached(*, address: str, email: str) -> str:
    """ "address" or "account" when that limit is reached (log-ins are refused), else ""."""
    per_address, per_account = _login_limits()
    if per_address.is_reached(address):
        return "address"
    if per_account.is_reached(_account_key(email)):
        return "account"
    return ""


def login_failure_record(*, address: str, email: str) -> None:
    per_address, per_account = _login_limits()
    per_address.record_failure(address)
    per_account.record_failure(_account_key(email))


def login_failures_forget_account(*, email: str) -> None:
    """The owner proved the mailbox (password reset): the account may be tried again."""
    _login_limits()[1].reset(_account_key(email))


# --- Profile -----------------------------------------------------------------------------


def user_update_profile(
    *, user: User, first_name: str, last_name: str, preferred_language: str
) -> User:
    user.first_name = first_name
    user.last_name = last_name
    user.preferred_language = preferred_language
    user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    user.save(update_fields=["first_name", "last_name", "preferred_language"])
    return user


# --- Address book -------------------------------------------------------------------------


def address_create(
    *,
    user: User,
    full_name: str,
    street: str,
    postcode: str,
    city: str,
    country: str,
    phone: str,
    company: str = "",
    street2: str = "",
    vat_number: str = "",
) -> Address:
    address = Address(
        user=user,
        full_name=full_name,
        company=company,
        street=street,
        street2=street2,
        postcode=postcode,
        city=city,
        country=country,
        phone=phone,
        vat_number=vat_number,
    )
    # Address.clean() normalises the phone, VAT number and postcode: run it whoever calls.
    address.full_clean()
    address.save()
    return address


def address_update(*, address: Address, data: dict[str, Any]) -> Address:
    """Change the given fields (only those of ADDRESS_FIELDS) and validate the result."""
    unknown = set(data) - set(ADDRESS_FIELDS)
    if unknown:
        raise TypeError(f"Not address fields: {', '.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(address, name, value)
    address.full_clean()
    address.save()
    return address


def address_delete(*, address: Address) -> None:
    address.delete()
