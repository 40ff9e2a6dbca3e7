"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, on a port the OS picks.

Django sends through its ordinary SMTP backend, so a test sees exactly what a mail server would
receive (envelope and the MIME message), not Django's in-memory outbox.

    with SMTPListener() as smtp:
        send_mail(..., recipient_list=["sam@example.com"])
        received = smtp.wait_for_message(lambda m: "sam@example.com" in m.envelope_to)
        received.message["Subject"], received.text

``smtp.refuse("451 4.3.0 Try again later")`` makes it answer every message with that reply (and
keep nothing) until ``smtp.accept()``: a mail server that refuses, then comes back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"

# aiosmtpd logs every SMTP command at INFO; keep failing tests' captured logs readable.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass(frozen=True)
class ReceivedMessage:
    """One message as the server received it."""

    envelope_from: str
    envelope_to: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    @property
    def text(self) -> str:
        """The plain-text body (the HTML part when there is no plain one)."""
        body = self.message.get_body(preferencelist=("plain", "html"))
        return body.get_content() if body is not None else ""


class _Handler:
    def __init__(self, listener: SMTPListener):
        self.listener = listener

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        if self.listener.refusing:
            return self.listener.refusing
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        message = BytesParser(policy=policy.default).parsebytes(raw)
        self.listener._add(
            ReceivedMessage(
                envelope_from=envelope.mail_from,
                envelope_to=tuple(envelope.rcpt_tos),
                message=message,
            )
        )
        return "250 Message accepted for delivery"


class _EphemeralPortController(Controller):
    """aiosmtpd's threaded Controller bound to port 0; learns the real port once listening."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SMTPListener:
    """An SMTP server in a background thread that keeps every message it receives."""

    def __init__(self, host: str = HOST):
        self.host = host
        self.port: int | None = None
        self._messages: list[ReceivedMessage] = []
        self.refusing: str = ""
        self._changed = threading.Condition()
        self._controller = _EphemeralPortController(_Handler(self), hostname=host, port=0)

    def start(self) -> SMTPListener:
        self._controller.start()
        self.port = self._controller.port
        return self

    def stop(self) -> None:
        self._controller.stop()

    def refuse(self, reply: str = "451 4.3.0 Try again later") -> None:
        """Answer every message with ``reply`` (an SMTP error) until ``accept()``."""
        self.refusing = reply

    def accept(self) -> None:
        self.refusing = ""

    def __enter__(self) -> SMTPListener:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _add(self, received: ReceivedMessage) -> None:
        with self._changed:
            self._messages.append(received)
            self._changed.notify_all()

    @property
    def messages(self) -> list[ReceivedMessage]:
        """A snapshot of the messages received so far, oldest first."""
        with self._changed:
            return list(self._messages)

    def wait_for_message(
        self, predicate: Callable[[ReceivedMessage], bool] = lambda m: True, timeout: float = 10
    ) -> ReceivedMessage:
        """The first received message matching ``predicate``, waiting up to ``timeout`` seconds.

        Raises AssertionError naming what did arrive when nothing matches in time.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for received in self._messages:
                    if predicate(received):
                        return received
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                # Woken by each new message; the short cap keeps this a poll if a notify is missed.
                self._changed.wait(min(remaining, 0.25))
            arrived = [(m.envelope_to, m.subject) for m in self._messages]
        raise AssertionError(
            f"No matching mail reached the SMTP listener on {self.host}:{self.port} within "
            f"{timeout:g} s. Received: {arrived or 'nothing'}"
        )
