"""Invitations: who an event is sent to, and sending them once each (issue: RSVP by email).

``audience_members`` turns a staff choice (a club's members, all members, owners of some models,
members who attended a past event, or pasted email addresses) into members, leaving out those
who opted out of invitations. ``invitations_send`` creates one Invitation per event and member
(a unique row: pressing Send twice or a worker dying mid-batch never invites anyone twice) and
queues each mail in the outbox with Going / Maybe / Can't go links, the member's reply address
and one-click unsubscribe.
"""

import re

from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string

from community.mail import list_unsubscribe_headers
from community.models import Member, Membership
from community.outbox import outbox_enqueue
from community.showrooms import sender_address, site_of
from events.models import EventPage, Invitation, Rsvp
from events.notifications import _context
from events.tokens import reply_address

AUDIENCES = ("club", "all", "models", "attendees", "emails")
_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")


def audience_members(
    *, kind: str, club=None, car_models=(), past_event=None, emails_text: str = ""
) -> tuple[QuerySet[Member], list[str]]:
    """The members an audience names (opted-out and inactive ones left out), and for a pasted list
    the addresses that belong to no member."""
    members = Member.objects.filter(is_active=True, email_invitations=True)
    unknown: list[str] = []
    if kind == "club":
        members = members.filter(
            memberships__club=club, memberships__status=Membership.Status.ACTIVE
        )
    elif kind == "models":
        members = members.filter(cars__car_model__in=list(car_models))
    elif kind == "attendees":
        members = members.filter(rsvps__event=past_event, rsvps__checked_in_at__isnull=False)
    elif kind == "emails":
        emails = sorted({e.lower() for e in _EMAIL.findall(emails_text or "")})
        known = set(Member.objects.filter(email__in=emails).values_list("email", flat=True))
        unknown = [e for e in emails if e not in known]
        members = members.filter(email__in=emails)
    elif kind != "all":
        raise ValueError(f"Unknown audience {kind!r}")
    return members.distinct().order_by("pk"), unknown


def invitation_render(*, event: EventPage, member) -> tuple[str, str]:
    from events.views_links import rsvp_link_url

    rsvp = Rsvp(event=event, member=member, guests=0)
    context = {
        **_context(rsvp),
        "summary": event.summary,
        "going": rsvp_link_url(event=event, member=member, answer="going"),
        "maybe": rsvp_link_url(event=event, member=member, answer="maybe"),
        "not_going": rsvp_link_url(event=event, member=member, answer="not_going"),
        "guests_allowed": event.guests_allowed,
    }
    subject = " ".join(render_to_string("email/invitation_subject.txt", context).split())
    return subject, render_to_string("email/invitation.txt", context)


def invitation_send_test(*, event: EventPage, staff_member) -> None:
    """Send the invitation to the staff member themselves, as a member would see it."""
    subject, body = invitation_render(event=event, member=staff_member)
    outbox_enqueue(
        kind="invitation_test",
        to=staff_member.email,
        subject=f"[Test] {subject}",
        body=body,
        from_email=sender_address(site_of(event)),
    )


@transaction.atomic
def invitations_send(*, event: EventPage, by, member_ids: list[int]) -> int:
    """Invite these members (those already invited are skipped); returns how many were queued."""
    already = set(
        Invitation.objects.filter(event=event, member_id__in=member_ids).values_list(
            "member_id", flat=True
        )
    )
    queued = 0
    for member in Member.objects.filter(
        pk__in=set(member_ids) - already, is_active=True, email_invitations=True
    ):
        invitation, created = Invitation.objects.get_or_create(
            event=event, member=member, defaults={"invited_by": by}
        )
        if not created:
            continue
        subject, body = invitation_render(event=event, member=member)
        invitation.message = outbox_enqueue(
            kind="invitation",
            to=member.email,
            subject=subject,
            body=body,
            reply_to=reply_address(event_id=event.pk, member_id=member.pk),
            from_email=sender_address(site_of(event)),
            headers=list_unsubscribe_headers(
                member=member, category="invitations", site=site_of(event)
            ),
            dedupe_key=f"invitation:{event.pk}:{member.pk}",
            member=member,
        )
        invitation.save(update_fields=["message"])
        queued += 1
    return queued


def invitation_progress(*, event: EventPage) -> dict[str, int]:
    """Invitations of an event by the state of their mail: queued, sent, failed."""
    from django.db.models import Count

    rows = Invitation.objects.filter(event=event).values("message__status").annotate(n=Count("pk"))
    progress = {"queued": 0, "sent": 0, "failed": 0}
    for row in rows:
        progress[row["message__status"] or "queued"] += row["n"]
    progress["total"] = sum(progress.values())
    return progress
