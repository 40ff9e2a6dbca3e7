"""Signed tokens that let a member act from an email without logging in.

- RSVP links (``rsvp_link_token``): signed with a timestamp; valid for RSVP_LINK_MAX_AGE.
- Reply addresses (``reply_local_part``): ``rsvp+<event>.<member>.<mac>`` stays short enough for an
  email address's local part (64 characters) and identifies member and event; the MAC is an HMAC of
  both ids keyed with SECRET_KEY (fallback keys still verify, so rotating the key breaks nothing).
"""

import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

RSVP_LINK_SALT = "paddock.rsvp-link"
RSVP_LINK_MAX_AGE = timedelta(days=60)
REPLY_SALT = "paddock.reply-address"
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


class TokenExpired(Exception):
    """The signature is good but the link is too old; ``event_id``/``member_id`` say for whom."""

    def __init__(self, event_id: int, member_id: int):
        super().__init__("This link has expired.")
        self.event_id = event_id
        self.member_id = member_id


class TokenInvalid(Exception):
    pass


@dataclass(frozen=True)
class LinkTarget:
    event_id: int
    member_id: int


def rsvp_link_token(*, event_id: int, member_id: int) -> str:
    return signing.dumps({"e": event_id, "m": member_id}, salt=RSVP_LINK_SALT, compress=True)


def read_rsvp_link_token(token: str) -> LinkTarget:
    try:
        data = signing.loads(token, salt=RSVP_LINK_SALT, max_age=RSVP_LINK_MAX_AGE)
    except signing.SignatureExpired:
        data = signing.loads(token, salt=RSVP_LINK_SALT)  # signature checked again, age ignored
        raise TokenExpired(int(data["e"]), int(data["m"])) from None
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise TokenInvalid(str(error)) from None
    try:
        return LinkTarget(event_id=int(data["e"]), member_id=int(data["m"]))
    except (KeyError, TypeError, ValueError) as error:
        raise TokenInvalid(str(error)) from None


def _b36(number: int) -> str:
    out = ""
    while True:
        number, digit = divmod(number, 36)
        out = _DIGITS[digit] + out
        if not number:
            return out


def _mac(event_id: int, member_id: int, secret) -> str:
    value = salted_hmac(REPLY_SALT, f"{event_id}:{member_id}", secret=secret, algorithm="sha256")
    return _b36(int.from_bytes(value.digest()[:8], "big"))[:12]


def reply_local_part(*, event_id: int, member_id: int) -> str:
    return (
        f"rsvp+{_b36(event_id)}.{_b36(member_id)}.{_mac(event_id, member_id, settings.SECRET_KEY)}"
    )


def reply_address(*, event_id: int, member_id: int) -> str:
    return f"{reply_local_part(event_id=event_id, member_id=member_id)}@{settings.PADDOCK_INBOUND_DOMAIN}"


def read_reply_address(address: str) -> LinkTarget | None:
    """Event and member from an ``rsvp+...@`` address, or None when it is not a valid one."""
    local = address.strip().strip("<>").split("@", 1)[0].lower()
    if not local.startswith("rsvp+"):
        return None
    try:
        event_part, member_part, mac = local[5:].split(".")
        event_id, member_id = int(event_part, 36), int(member_part, 36)
    except ValueError:
        return None
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if any(hmac.compare_digest(mac, _mac(event_id, member_id, secret)) for secret in secrets):
        return LinkTarget(event_id=event_id, member_id=member_id)
    return None
