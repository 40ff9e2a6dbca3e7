"""Invitations: who an event is sent to, and sending them once each (issue: RSVP by email).

``audience_members`` turns a staff choice (a club's members, all members, owners of some models,
members who attended a past event, or pasted email addresses) into members, leaving out those
who opted out of invitations. ``invitations_send`` creates one Invitation per event and member
(a unique row: pressing Send twice or a worker dying mid-batch never invites anyone twice) and
queues each mail in the outbox with Going / Maybe / Can't go links, the member's reply address
and one-click unsubscribe.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import get_template
from django.urls import reverse

from community.mail import absolute_url, list_unsubscribe_headers, unsubscribe_url
from community.models import Member, Membership, OutboundEmail
from community.outbox import outbox_enqueue, outbox_enqueue_many
from community.showrooms import mail_brand, sender_address, site_of
from events.models import EventPage, Invitation
from events.notifications import event_context
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


@dataclass(frozen=True)
class RenderedInvitation:
    subject: str
    text: str
    html: str


class InvitationRenderer:
    """Renders one event's invitation for many members: the event's part and the templates are
    prepared once, each member adds a name, three signed answer links and an unsubscribe link."""

    def __init__(self, event: EventPage):
        self.event = event
        self.site = site_of(event)  # the showroom speaking: its name, links and sender
        self.from_email = sender_address(self.site)
        self.base = {
            **event_context(event),
            "summary": event.summary,
            "guests_allowed": event.guests_allowed,
            "brand": mail_brand(self.site),
        }
        self.subject = " ".join(
            get_template("email/invitation_subject.txt").render(self.base).split()
        )
        self.text = get_template("email/invitation.txt")
        self.html = get_template("email/invitation.html")

    def render(self, member) -> RenderedInvitation:
        from events.views_links import rsvp_link_url

        links = {
            answer: rsvp_link_url(event=self.event, member=member, answer=answer)
            for answer in ("going", "maybe", "not_going")
        }
        context = {
            **self.base,
            "member_name": member.display_name,
            **links,
            "unsubscribe_url": unsubscribe_url(
                member=member, category="invitations", site=self.site
            ),
            "preferences_url": absolute_url(reverse("community:profile_edit"), site=self.site),
        }
        return RenderedInvitation(
            subject=self.subject, text=self.text.render(context), html=self.html.render(context)
        )

    def message(self, member) -> OutboundEmail:
        rendered = self.render(member)
        return OutboundEmail(
            kind="invitation",
            to=member.email,
            subject=rendered.subject,
            body=rendered.text,
            html=rendered.html,
            reply_to=reply_address(event_id=self.event.pk, member_id=member.pk),
            from_email=self.from_email,
            headers=list_unsubscribe_headers(member=member, category="invitations", site=self.site),
            dedupe_key=invitation_dedupe_key(self.event.pk, member.pk),
            member=member,
        )


def invitation_dedupe_key(event_id: int, member_id: int) -> str:
    return f"invitation:{event_id}:{member_id}"


def invitation_render(*, event: EventPage, member) -> RenderedInvitation:
    return InvitationRenderer(event).render(member)


def invitation_send_test(*, event: EventPage, staff_member) -> None:
    """Send the invitation to the staff member themselves, as a member would see it."""
    rendered = invitation_render(event=event, member=staff_member)
    outbox_enqueue(
        kind="invitation_test",
        to=staff_member.email,
        subject=f"[Test] {rendered.subject}",
        body=rendered.text,
        html=rendered.html,
        from_email=sender_address(site_of(event)),
    )


@transaction.atomic
def invitations_send(*, event: EventPage, by, member_ids: list[int]) -> int:
    """Invite these members; returns how many were invited now.

    A batch costs a handful of statements whatever its size: the Invitation rows (unique per event
    and member) and their messages (unique dedupe key) are inserted in bulk, leaving alone any that
    exist, so pressing Send twice, two workers on the same batch, or a worker that died mid-batch
    never invite anyone twice. Opted-out and inactive members are skipped."""
    members = list(
        Member.objects.filter(pk__in=member_ids, is_active=True, email_invitations=True)
        .exclude(invitations__event=event)
        .only("pk", "email", "display_name")
        .order_by("pk")
    )
    if not members:
        return 0
    Invitation.objects.bulk_create(
        [Invitation(event=event, member=member, invited_by=by) for member in members],
        ignore_conflicts=True,
    )
    # Ours are the rows of this batch without a message yet: a concurrent send of the same members
    # waited on the unique index and sees them committed with their message.
    pending = list(
        Invitation.objects.select_for_update()
        .filter(event=event, member__in=members, message__isnull=True)
        .order_by("pk")
    )
    if not pending:
        return 0
    by_member = {member.pk: member for member in members}
    renderer = InvitationRenderer(event)
    waiting = outbox_enqueue_many(
        [renderer.message(by_member[invitation.member_id]) for invitation in pending]
    )
    for invitation in pending:
        invitation.message_id = waiting.get(invitation_dedupe_key(event.pk, invitation.member_id))
    Invitation.objects.bulk_update(pending, ["message"])
    return len(pending)


def invitation_progress(*, event: EventPage) -> dict[str, int]:
    """Invitations of an event by the state of their mail: queued, sent, failed."""
    from django.db.models import Count

    rows = Invitation.objects.filter(event=event).values("message__status").annotate(n=Count("pk"))
    progress = {"queued": 0, "sent": 0, "failed": 0}
    for row in rows:
        progress[row["message__status"] or "queued"] += row["n"]
    progress["total"] = sum(progress.values())
    return progress
