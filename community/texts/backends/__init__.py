"""Where texts go: SMS_BACKEND names a class, as EMAIL_BACKEND does for mail.

A backend has one method, ``send(*, to, body, reference) -> str``: it hands one text to the
provider and returns the provider's id for it, or raises ``TextSendError`` (``retry`` says
whether trying again later may succeed: a provider that is down or throttling, not a number it
refuses).
"""

from django.conf import settings
from django.utils.module_loading import import_string


class TextSendError(Exception):
    """The provider did not take the text; ``retry``: worth trying again later."""

    def __init__(self, message: str, *, retry: bool, code: str = ""):
        super().__init__(message)
        self.retry = retry
        self.code = code


class BaseTextBackend:
    def send(self, *, to: str, body: str, reference: str) -> str:
        """Send ``body`` to ``to`` (E.164); ``reference`` is Paddock's own id for the text."""
        raise NotImplementedError


def text_backend() -> BaseTextBackend:
    """An instance of SMS_BACKEND."""
    return import_string(settings.SMS_BACKEND)()
