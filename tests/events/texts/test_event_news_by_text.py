"""Event news by text, as each member chose: a change or cancellation, a reminder and a place from
the waitlist reach a member who chose texts for them, through the outbox, once; a cancellation
within 12 hours of the start goes at once, even at night; a member who chose text only gets no
email."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from freezegun import freeze_time

from community.models import Channel, MemberMobile, OutboundEmail, OutboundText
from community.texts.segments import text_segments
from events import services
from events.models import EventChange, Rsvp
from events.notifications import notify_event_change, send_due_reminders
from events.texts import (
    change_text_body,
    promotion_text_body,
    reminder_text_body,
    short_link_url,
)
from tests.factories import MemberFactory, make_event

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def choose(member, **channels):
    MemberMobile.objects.filter(member=member).update(**channels)


def coming(event, member, **kwargs):
    return services.rsvp_respond(event=event, member=member, answer="going", **kwargs)


def cancel(event) -> int:
    change = EventChange.objects.create(
        event=event, kind=EventChange.Kind.CANCELLED, summary="Cancelled", sequence=1
    )
    return notify_event_change(change_id=change.pk)


def test_cancellation_is_texted_to_a_member_who_chose_texts_for_changes(
    texting_member, texts_outbox, django_capture_on_commit_callbacks
):  # the fixture's member chose both email and text for changes
    event = make_event("Cars & Coffee")
    coming(event, texting_member)
    with django_capture_on_commit_callbacks(execute=True):
        cancel(event)
    [text] = [t for t in texts_outbox if "cancelled" in t["body"]]
    assert text["to"] == "+447911123456" and "Cars & Coffee" in text["body"]


def test_cancellation_text_goes_once_however_often_the_change_is_announced(texting_member):
    event = make_event("Cars & Coffee")
    coming(event, texting_member)
    change = EventChange.objects.create(
        event=event, kind=EventChange.Kind.CANCELLED, summary="Cancelled", sequence=1
    )
    notify_event_change(change_id=change.pk)
    EventChange.objects.filter(pk=change.pk).update(notified_at=None)  # beat retries it
    notify_event_change(change_id=change.pk)
    assert OutboundText.objects.filter(kind="changes").count() == 1


def test_member_who_chose_text_only_for_changes_gets_no_cancellation_email(texting_member):
    choose(texting_member, changes=Channel.TEXT)
    event = make_event("Cars & Coffee")
    coming(event, texting_member)
    mail.outbox.clear()
    cancel(event)
    assert OutboundText.objects.filter(kind="changes").count() == 1
    assert not OutboundEmail.objects.filter(to=texting_member.email, kind="event_cancelled")


def test_cancellation_at_night_within_12_hours_of_the_start_is_texted_at_once(
    texting_member, quiet_hours
):
    with freeze_time(datetime(2026, 12, 12, 22, 30, tzinfo=LONDON)):
        event = make_event("Dawn run", days_ahead=0)
        event.start = datetime(2026, 12, 13, 7, 0, tzinfo=LONDON)
        event.end = event.start + timedelta(hours=2)
        event.save()
        coming(event, texting_member)
        cancel(event)
        text = OutboundText.objects.get(kind="changes")
        assert text.urgent and text.send_after <= datetime(2026, 12, 12, 22, 31, tzinfo=LONDON)


def test_change_announced_at_night_days_ahead_waits_for_the_morning(texting_member, quiet_hours):
    with freeze_time(datetime(2026, 12, 12, 22, 30, tzinfo=LONDON)):
        event = make_event("Track day", days_ahead=5)
        coming(event, texting_member)
        cancel(event)
        text = OutboundText.objects.get(kind="changes")
        assert text.send_after == datetime(2026, 12, 13, 8, 0, tzinfo=LONDON)


def test_reminder_is_texted_to_a_member_who_turned_reminder_mail_off_for_texts(texting_member):
    choose(texting_member, reminders=Channel.TEXT)
    texting_member.email_reminders = False
    texting_member.save(update_fields=["email_reminders"])
    event = make_event("Cars & Coffee", days_ahead=1)
    coming(event, texting_member)
    send_due_reminders()
    text = OutboundText.objects.get(kind="reminders")
    assert short_link_url(event=event, member=texting_member) in text.body
    assert not OutboundEmail.objects.filter(kind="event_reminder").exists()


def test_reminder_by_email_only_sends_no_text(texting_member):
    event = make_event("Cars & Coffee", days_ahead=1)
    coming(event, texting_member)
    send_due_reminders()
    assert not OutboundText.objects.filter(kind="reminders").exists()


def test_place_from_the_waitlist_is_texted_to_a_member_who_chose_texts_for_it(texting_member):
    choose(texting_member, promotions=Channel.TEXT)
    event = make_event("Cars & Coffee", capacity=1)
    first = MemberFactory()
    coming(event, first)
    assert coming(event, texting_member).state == Rsvp.State.WAITLISTED
    services.rsvp_respond(event=event, member=first, answer="not_going")
    text = OutboundText.objects.get(kind="promotions")
    assert "you're in" in text.body and "Cars & Coffee" in text.body


@pytest.mark.parametrize(
    "title", ["Cars & Coffee", "The Great Northern Coastal Classic Mini Sunrise Run and Breakfast"]
)
def test_event_news_texts_fit_one_segment(texting_member, title):
    event = make_event(title)
    for body in (
        change_text_body(event=event, member=texting_member, cancelled=True),
        change_text_body(event=event, member=texting_member, cancelled=False),
        reminder_text_body(event=event, member=texting_member),
        promotion_text_body(event=event, member=texting_member),
    ):
        assert text_segments(body) == 1, body
