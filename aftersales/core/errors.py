"""Domain errors: what every app raises when one of its rules refuses a request.

A domain error has a stable machine `code` (the API answers it as `code`, tests and pages act on
it) and a translated `message` in plain words (the API's `detail`, the page's error). Each app
derives its own errors from these bases (`plans.errors.PlanRuleError`, `devices.errors`,
`repairs.errors`) and lists its codes with their messages in the subclass's `messages`.

`core` knows none of them: an app *publishes* the errors its API endpoints can answer with
`publish_errors()` from its `AppConfig.ready()`, and the API's docs read them back with
`published_codes()`. The API answers `NotFoundError` with 404, `ConflictError` with 409 and any
other `DomainError` with 422 (`core.api.exception_handler`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured


class DomainError(Exception):
    """A rule refused the request. `code` is stable; `message` is translated.

    `messages` maps each code of the subclass to its message (a lazy translation, which may
    take `%(name)s` parameters given as keyword arguments). A message passed explicitly wins.
    """

    messages: ClassVar[Mapping[str, Any]] = {}

    def __init__(self, code: str, message: str | None = None, **params: Any) -> None:
        if message is None:
            message = self.message_for(code, params)
        self.code = code
        self.message = message
        self.params = params
        super().__init__(f"{code}: {message}")

    @classmethod
    def message_for(cls, code: str, params: Mapping[str, Any]) -> str:
        template = cls.messages[code]
        return str(template % params if params else template)


class NotFoundError(DomainError):
    """What the request names (by its URL) does not exist, or is not the caller's to see."""


class ConflictError(DomainError):
    """What the request would create already exists."""


# The errors whose codes the API publishes, in the order the apps published them.
_PUBLISHED: list[type[DomainError]] = []


def publish_errors(*error_classes: type[DomainError]) -> None:
    """Lists the codes of these errors in the API's docs. Called from `AppConfig.ready()`;
    idempotent. A code published twice must keep one message."""
    for error_class in error_classes:
        if not issubclass(error_class, DomainError):
            raise ImproperlyConfigured(f"{error_class!r} is not a DomainError.")
        if error_class in _PUBLISHED:
            continue
        for kind in (NotFoundError, ConflictError, DomainError):
            if issubclass(error_class, kind):
                known = published_codes(kind)
                break
        for code, message in error_class.messages.items():
            if code in known and str(known[code]) != str(message):
                raise ImproperlyConfigured(
                    f"The error code {code!r} is published twice with different messages."
                )
        _PUBLISHED.append(error_class)


def published_codes(kind: type[DomainError] = DomainError) -> dict[str, Any]:
    """Every published code of this kind with its message. `DomainError` means the rule
    refusals (422): not-found and conflict errors are left out of it."""
    codes: dict[str, Any] = {}
    for error_class in _PUBLISHED:
        if kind is DomainError and issubclass(error_class, (NotFoundError, ConflictError)):
            continue
        if issubclass(error_class, kind):
            codes.update(error_class.messages)
    return codes
