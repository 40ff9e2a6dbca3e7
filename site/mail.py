"""Local mailbox for a run without an SMTP server.

Each outgoing message is written to ``MAILBOX_DIR`` (var/mail/ by default) as an .eml file that any
mail program opens, and a one-line notice goes to the console.
"""

import logging
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger("paddock.mail")


class MailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(settings.MAILBOX_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            path = folder / f"{stamp}-{uuid4().hex[:8]}.eml"
            path.write_bytes(message.message().as_bytes(linesep="\n"))
            logger.info(
                "Mail to %s: %s -> %s", ", ".join(message.recipients()), message.subject, path
            )
            sent += 1
        return sent
