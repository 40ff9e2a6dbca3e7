"""A backend for the tests: texts are kept in ``outbox`` (like django.core.mail.outbox)."""

from community.texts.backends import BaseTextBackend

outbox: list[dict] = []


class LocmemBackend(BaseTextBackend):
    def send(self, *, to: str, body: str, reference: str) -> str:
        outbox.append({"to": to, "body": body, "reference": reference})
        return f"locmem-{len(outbox)}"
