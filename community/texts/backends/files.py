"""``make run``'s backend: each text is written to SMS_FILE_DIR (var/sms/), one file per text,
and announced on the console, as var/mail/ holds the mail."""

import logging

from django.conf import settings
from django.utils import timezone

from community.texts.backends import BaseTextBackend
from community.texts.segments import text_segments

logger = logging.getLogger("paddock.texts")


class FileBackend(BaseTextBackend):
    def send(self, *, to: str, body: str, reference: str) -> str:
        directory = settings.SMS_FILE_DIR
        directory.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
        path = directory / f"{stamp}-{reference}.txt"
        path.write_text(f"To: {to}\nSegments: {text_segments(body)}\n\n{body}\n", encoding="utf-8")
        logger.info("Text to %s written to %s", to, path)
        return path.name
