"""The mail gateway: an SMTP listener (aiosmtpd) that a mail server forwards replies to.

Only recipients at PADDOCK_INBOUND_DOMAIN are accepted (anything else is refused at RCPT, so the
gateway is never an open relay); each accepted message goes to ``events.inbound.handle_inbound``.
"""

from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from events.inbound import handle_inbound

MAX_MESSAGE_BYTES = 10 * 1024 * 1024


def _handle(raw: bytes, rcpt_tos: list[str]):
    close_old_connections()
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        return handle_inbound(message, envelope_to=rcpt_tos, via="gateway")
    finally:
        close_old_connections()


class GatewayHandler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        domain = address.rsplit("@", 1)[-1].lower()
        if domain != settings.PADDOCK_INBOUND_DOMAIN.lower():
            return "550 5.1.1 Not a Paddock reply address"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        if len(raw) > MAX_MESSAGE_BYTES:
            return "552 5.3.4 Message too big"
        try:
            await sync_to_async(_handle, thread_sensitive=False)(raw, list(envelope.rcpt_tos))
        except Exception:  # tell the sending server to try again later rather than lose the reply
            import logging

            logging.getLogger("paddock.inbound").exception("Inbound message failed")
            return "451 4.3.0 Temporary failure, try again later"
        return "250 Message accepted"


def gateway_controller(*, host: str, port: int) -> Controller:
    return Controller(GatewayHandler(), hostname=host, port=port, data_size_limit=MAX_MESSAGE_BYTES)
