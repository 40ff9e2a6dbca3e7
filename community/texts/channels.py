"""The kinds of message a member may have by email, text or both: the one list.

It extends the email preferences (``community.preferences.PREFERENCES``): a kind that has an email
preference there (invitations, reminders) names its Member field, and choosing email (or both)
for it turns that field on; the choice of channel itself is kept on MemberMobile, one field per
kind (``Channel``: email, text, both).
"""

from community.preferences import PREFERENCES

# kind -> (label for members, the Member field of its email preference or None)
TEXT_KINDS = {
    "invitations": ("Event invitations", PREFERENCES["invitations"][0]),
    "reminders": ("Event reminders", PREFERENCES["reminders"][0]),
    "changes": ("Changes and cancellations of events you are coming to", None),
    "promotions": ("A place for you from the waitlist", None),
    "advisor": ("Messages from your advisor", None),
}

CONSENT_WORDING = (
    "Yes, {dealership} may text this number with the messages I choose to have by text. "
    "I can stop them at any time here or by replying STOP."
)


def consent_wording(*, dealership_name: str) -> str:
    """The exact sentence a member agrees to (recorded with the time they agreed)."""
    return CONSENT_WORDING.format(dealership=dealership_name)


def text_dedupe_key(*, kind: str, member_id: int, key: str) -> str:
    """The outbox's dedupe key of the text of ``kind`` about ``key`` to a member: ``text_queue``
    writes it, and selectors find the text again by it (the lounge's "Texted at 14:05")."""
    return f"{kind}:{member_id}:{key}"
