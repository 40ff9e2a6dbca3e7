"""The photo drop: the morning after an event, one message to each member checked in, with the
link to add photos to the event's album."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from community.models import Channel, MemberMobile, OutboundEmail, OutboundText
from events.models import EventPage
from events.photo_drop import photo_drops_due
from tests.events.photo_drop_helpers import checked_in, morning_after, said_going, yesterdays_event
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def run_beat(now, capture):
    with capture(execute=True):
        return photo_drops_due(now=now)


def test_photo_drop_sent_the_morning_after_to_each_member_checked_in(
    member, staff, django_capture_on_commit_callbacks
):
    event = yesterdays_event("Quay meet")
    other = MemberFactory()
    checked_in(event, member, staff=staff)
    checked_in(event, other, staff=staff)
    run_beat(morning_after(event), django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, other.email])
    message = next(m for m in mail.outbox if m.to == [member.email])
    assert message.subject == "Your photos from Quay meet"
    assert f"/events/{event.pk}/photos/add/" in message.body


def test_photo_drop_not_sent_to_members_who_said_going_but_were_not_checked_in(
    member, staff, django_capture_on_commit_callbacks
):
    event = yesterdays_event()
    no_show = MemberFactory()
    checked_in(event, member, staff=staff)
    said_going(event, no_show)
    run_beat(morning_after(event), django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_photo_drop_not_sent_before_the_morning_hour(
    member, staff, settings, django_capture_on_commit_callbacks
):
    settings.PADDOCK_PHOTO_DROP_HOUR = 8
    event = yesterdays_event()
    checked_in(event, member, staff=staff)
    assert (
        run_beat(morning_after(event, hour=7, minute=55), django_capture_on_commit_callbacks) == 0
    )
    assert mail.outbox == []


def test_photo_drop_not_sent_the_evening_of_the_event(
    member, staff, django_capture_on_commit_callbacks
):
    event = yesterdays_event()
    checked_in(event, member, staff=staff)
    run_beat(event.end + timedelta(hours=2), django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_photo_drop_sent_only_once_however_often_the_beat_runs(
    member, staff, django_capture_on_commit_callbacks
):
    event = yesterdays_event()
    checked_in(event, member, staff=staff)
    morning = morning_after(event)
    for minutes in (0, 10, 20, 60 * 24):
        run_beat(morning + timedelta(minutes=minutes), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert (
        OutboundEmail.objects.filter(dedupe_key=f"photo-drop:{event.pk}:{member.pk}").count() == 1
    )


def test_photo_drop_not_sent_for_a_cancelled_event(
    member, staff, django_capture_on_commit_callbacks
):
    event = yesterdays_event()
    checked_in(event, member, staff=staff)
    EventPage.objects.filter(pk=event.pk).update(status=EventPage.Status.CANCELLED)
    run_beat(morning_after(event), django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_photo_drop_not_sent_for_an_event_long_past(
    member, staff, settings, django_capture_on_commit_callbacks
):
    settings.PADDOCK_PHOTO_DROP_DAYS = 2
    event = yesterdays_event()
    checked_in(event, member, staff=staff)
    run_beat(morning_after(event) + timedelta(days=3), django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_photo_drop_is_a_text_for_a_member_who_chose_texts_for_reminders(
    member, staff, django_capture_on_commit_callbacks
):
    MemberMobile.objects.create(
        member=member,
        number="+447911123456",
        verified_at=timezone.now(),
        consent_at=timezone.now(),
        consent_wording="Yes, text me.",
        reminders=Channel.TEXT,
    )
    event = yesterdays_event("Quay meet")
    checked_in(event, member, staff=staff)
    for minutes in (0, 10):
        run_beat(
            morning_after(event) + timedelta(minutes=minutes), django_capture_on_commit_callbacks
        )
    [text] = OutboundText.objects.filter(member=member)
    assert "Quay meet" in text.body and f"/events/{event.pk}/photos/add/" in text.body
    assert mail.outbox == []  # the text instead of the email
