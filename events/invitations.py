"""Invitations: who an event is sent to, and sending them once each (issue: RSVP by email).

``audience_members`` turns a staff choice (a club's members, all members, owners of some models,
members who attended a past event, or pasted email addresses) into members, leaving out those
who opted out of invitations. ``invitations_send`` creates one Invitation per event and member
(a unique row: pressing Send twice or a worker dying mid-batch never invites anyone twice) and
queues each mail in the outbox with Going / Maybe / Can't go links, the member's reply address
and one-click unsubscribe; members who chose texts for invitations get a text (events/texts.py),
instead of the mail when they chose text only.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from community.mail import absolute_url, list_unsubscribe_headers, unsubscribe_url
from community.models import Member, Membership, OutboundEmail
from community.outbox import claim_token, outbox_enqueue, outbox_enqueue_many
from community.showrooms import mail_brand, sender_address, site_of
from events.links import rsvp_link_url
from events.models import EventPage, Invitation, InvitationSend
from events.notifications import event_context
from events.texts import (
    email_excluded_ids,
    invitation_reachable_q,
    invitation_text_delivery,
    invitation_texts_queue,
    text_only_invitation_statuses,
)
from events.tokens import reply_address
from paddock.celery import enqueue

AUDIENCES = ("club", "all", "models", "attendees", "emails")
_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")


def audience_members(
    *, kind: str, club=None, car_models=(), past_event=None, emails_text: str = ""
) -> tuple[QuerySet[Member], list[str]]:
    """The members an audience names (opted-out and inactive ones left out), and for a pasted list
    the addresses that belong to no member."""
    members = Member.objects.filter(invitation_reachable_q(), is_active=True)
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
        Member.objects.filter(invitation_reachable_q(), pk__in=member_ids, is_active=True)
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
    text_only = email_excluded_ids(member_ids=[invitation.member_id for invitation in pending])
    waiting = outbox_enqueue_many(
        [
            renderer.message(by_member[invitation.member_id])
            for invitation in pending
            if invitation.member_id not in text_only
        ]
    )
    invitation_texts_queue(event=event, members=[by_member[i.member_id] for i in pending])
    for invitation in pending:
        invitation.message_id = waiting.get(invitation_dedupe_key(event.pk, invitation.member_id))
    Invitation.objects.bulk_update(pending, ["message"])
    return len(pending)


SEND_CHUNK = 500  # members written per transaction by invitation_send_run


def invitation_send_create(
    *, event: EventPage, by, member_ids: list[int], dispatch: bool = True
) -> InvitationSend:
    """Record staff's "Send" in PostgreSQL (in the caller's transaction), then, after commit, ask a
    worker to write the invitations. With the broker away nothing is lost: beat's sweep
    (``invitation_sends_resume``) runs the send once it can."""
    send = InvitationSend.objects.create(
        event=event, requested_by=by, member_ids=sorted(set(member_ids))
    )
    if dispatch:
        transaction.on_commit(lambda: _dispatch_send(send.pk))
    return send


def _dispatch_send(send_id: int) -> None:
    enqueue("events.tasks.invitation_send_run_task", send_id)


def _claim_send(send_id: int, token: str, lease: timedelta) -> InvitationSend | None:
    """Take the send for ``token`` unless another worker holds a live lease on it (committed)."""
    now = timezone.now()
    with transaction.atomic():
        send = (
            InvitationSend.objects.select_for_update(skip_locked=True)
            .filter(pk=send_id, finished_at__isnull=True)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
            .first()
        )
        if send is None:
            return None
        send.claimed_by, send.lease_until = token, now + lease
        send.save(update_fields=["claimed_by", "lease_until"])
    return send


def invitation_send_run(*, send_id: int) -> int:
    """Write a send's invitations, SEND_CHUNK members per transaction; returns how many were
    invited now. Each chunk commits its invitations, their messages and the send's progress
    together, so a worker killed mid-way leaves the send exactly where it got to; after the lease
    lapses the sweep carries on from there. Nothing happens when another worker holds the send."""
    token = claim_token()
    lease = timedelta(seconds=settings.PADDOCK_OUTBOX_LEASE_SECONDS)
    send = _claim_send(send_id, token, lease)
    if send is None:
        return 0
    invited = 0
    by = send.requested_by
    while True:
        with transaction.atomic():
            current = (
                InvitationSend.objects.select_for_update()
                .filter(pk=send.pk, claimed_by=token, finished_at__isnull=True)
                .first()
            )
            if current is None:  # our lease lapsed and another worker took over
                return invited
            chunk = current.member_ids[current.done : current.done + SEND_CHUNK]
            now = timezone.now()
            if not chunk:
                current.finished_at, current.claimed_by, current.lease_until = now, "", None
                current.save(update_fields=["finished_at", "claimed_by", "lease_until"])
                return invited
            count = invitations_send(event=current.event, by=by, member_ids=chunk)
            current.done += len(chunk)
            current.invited += count
            current.lease_until = now + lease
            current.save(update_fields=["done", "invited", "lease_until"])
            invited += count


def invitation_sends_resume(*, grace_seconds: int = 30) -> int:
    """Run every unfinished send nobody holds: its task never reached a worker (older than
    ``grace_seconds``) or its worker's lease lapsed. Returns how many members were invited."""
    now = timezone.now()
    due = (
        InvitationSend.objects.filter(finished_at__isnull=True)
        .filter(
            Q(lease_until__lte=now)
            | Q(lease_until__isnull=True, created_at__lte=now - timedelta(seconds=grace_seconds))
        )
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    return sum(invitation_send_run(send_id=pk) for pk in list(due[:20]))


def invitation_progress(*, event: EventPage) -> dict[str, int]:
    """Invitations of an event by the state of their mail (queued, sent, failed), and ``waiting``:
    members staff asked to invite whose invitation is not written yet (the broker is away, or a
    worker is on it). A member already invited counts once, however often Send was pressed.
    ``texts``: the invitation texts and their delivery receipts (``invitation_text_delivery``)."""
    from django.db.models import Count

    rows = Invitation.objects.filter(event=event).values("message__status").annotate(n=Count("pk"))
    progress = {"queued": 0, "sent": 0, "failed": 0}
    for row in rows:
        progress[row["message__status"] or "queued"] += row["n"]
    for status, n in text_only_invitation_statuses(event=event).items():  # invited by text only
        progress["queued"] -= n
        progress[status] += n
    progress["total"] = sum(progress.values())
    pending = InvitationSend.objects.filter(event=event, finished_at__isnull=True)
    waiting: set[int] = set()
    for send in pending.only("member_ids", "done"):
        waiting.update(send.member_ids[send.done :])
    if waiting:
        waiting -= set(
            Invitation.objects.filter(event=event, member_id__in=waiting).values_list(
                "member_id", flat=True
            )
        )
    progress["waiting"] = len(waiting)
    progress["texts"] = invitation_text_delivery(event=event)
    return progress
