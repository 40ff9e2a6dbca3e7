"""A small circuit breaker: after a service fails, stop asking it for a few seconds.

Redis (the cache and the Celery broker) is something Paddock can work without for a while. When it
stops answering, every request would otherwise wait for its own connection attempt to fail; the
breaker remembers the failure so the next ``retry_seconds`` skip the service at once, then lets one
call through to see whether it is back (a "half-open" try). A success closes it again.

One breaker per service and process, shared by the process's threads (``breaker(name)``).
"""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger(__name__)

DEFAULT_RETRY_SECONDS = 2.0


class CircuitBreaker:
    """``allow()`` before calling the service; then ``succeeded()`` or ``failed(error)``."""

    def __init__(self, name: str, *, retry_seconds: float = DEFAULT_RETRY_SECONDS):
        self.name = name
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._open_until: float | None = None  # None: closed
        self._down_since: float | None = None

    @property
    def is_open(self) -> bool:
        """True while the service is known to be down (including the half-open moments)."""
        return self._down_since is not None

    def allow(self) -> bool:
        """May the service be called now? False while open; True when closed or time to retry."""
        open_until = self._open_until
        if open_until is None:
            return True
        with self._lock:
            if self._open_until is not None and time.monotonic() < self._open_until:
                return False
            # Half-open: this caller tries; the others keep skipping until it reports back.
            self._open_until = time.monotonic() + self.retry_seconds
            return True

    def failed(self, error: BaseException | None = None) -> None:
        with self._lock:
            first = self._down_since is None
            self._open_until = time.monotonic() + self.retry_seconds
            if first:
                self._down_since = time.monotonic()
        if first:
            logger.warning(
                "%s is not answering (%s); carrying on without it, trying again every %.0f s.",
                self.name,
                type(error).__name__ if error is not None else "error",
                self.retry_seconds,
            )

    def succeeded(self) -> bool:
        """Record a success; True when this closes the breaker after an outage (a recovery)."""
        if self._down_since is None:
            return False
        with self._lock:
            down_since, self._down_since, self._open_until = self._down_since, None, None
        if down_since is None:
            return False
        logger.warning(
            "%s is answering again after %.1f s.", self.name, time.monotonic() - down_since
        )
        return True


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker(name: str, *, retry_seconds: float = DEFAULT_RETRY_SECONDS) -> CircuitBreaker:
    """The process's breaker for ``name`` (created on first use)."""
    found = _breakers.get(name)
    if found is None:
        with _breakers_lock:
            found = _breakers.setdefault(name, CircuitBreaker(name, retry_seconds=retry_seconds))
    return found
