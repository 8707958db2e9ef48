"""Counting failed attempts in the cache, per account or per address, so that guessing
(activation codes, serial numbers) stops after a few tries.

A window starts at the first failure and lasts `window` seconds; when it ends, the count starts
again. The cache is shared by every process (Redis in production), so the limit holds across
workers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class FailureLimit:
    """At most `limit` failures per `window` seconds for one identity (an account id, an IP)."""

    scope: str
    limit: int
    window: int  # seconds

    def _key(self, identity: object) -> str:
        return f"ratelimit:{self.scope}:{identity}"

    def failures(self, identity: object) -> int:
        return int(cache.get(self._key(identity), 0))

    def is_reached(self, identity: object) -> bool:
        return self.failures(identity) >= self.limit

    def record_failure(self, identity: object) -> int:
        """Counts one more failure and returns the count in the current window."""
        key = self._key(identity)
        # add() starts the window only once; incr() is atomic on Redis and memcached.
        cache.add(key, 0, timeout=self.window)
        try:
            return cache.incr(key)
        except ValueError:  # the window ended between add() and incr()
            cache.set(key, 1, timeout=self.window)
            return 1

    def reset(self, identity: object) -> None:
        cache.delete(self._key(identity))
