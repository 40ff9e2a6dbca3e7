"""The text outbox: written with the change, sent after commit through SMS_BACKEND (the real
Twilio SDK against a local Messages API), once, retried with backoff, held through quiet hours."""

from datetime import datetime, timedelta
from threading import Thread
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.utils import timezone
from freezegun import freeze_time

from community.models import Channel, MemberMobile, OutboundText
from community.texts import outbox as text_outbox
from community.texts import tasks as text_tasks
from community.texts.backends import twilio as twilio_backend
from community.texts.outbox import text_enqueue, text_outbox_flush, text_send
from community.texts.segments import text_segments
from community.texts.services import text_queue, text_queue_many
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _enqueue(**overrides) -> OutboundText:
    fields = {"kind": "invitations", "to": "+447911123456", "body": "Cars & Coffee Sat 10:00"}
    fields.update(overrides)
    return text_enqueue(**fields)


def test_text_queued_in_a_rolled_back_transaction_is_never_sent(
    texting_member, texts_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            text_queue(member=texting_member, kind="invitations", body="Come!", dedupe_key="e:1")
            raise RuntimeError("the change failed")
    assert text_outbox_flush() == 0
    assert texts_outbox == [] and not OutboundText.objects.exists()


def test_text_queue_sends_after_commit(
    texting_member, texts_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        text = text_queue(
            member=texting_member, kind="invitations", body="Come!", dedupe_key="e:1", urgent=True
        )
    text.refresh_from_db()
    assert text.status == OutboundText.Status.SENT
    assert texts_outbox == [
        {"to": "+447911123456", "body": "Come!", "reference": str(text.text_uuid)}
    ]


def test_text_send_twice_and_flush_twice_send_once(texts_outbox):
    text = _enqueue(urgent=True)
    assert text_send(text_id=text.pk) is True
    assert text_send(text_id=text.pk) is False
    assert text_outbox_flush() == 0 and text_outbox_flush() == 0
    assert len(texts_outbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_text_outbox_flush_by_two_workers_at_once_sends_each_text_once(
    site_tree, texts_outbox, monkeypatch
):
    monkeypatch.setattr(text_tasks.text_send_task, "apply_async", lambda *a, **k: None)
    for n in range(30):
        _enqueue(to=f"+4479111234{n:02d}", urgent=True, dedupe_key=f"k:{n}")

    def worker():
        try:
            text_outbox_flush()
        finally:
            connection.close()

    threads = [Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    text_outbox_flush()
    assert sorted(t["to"] for t in texts_outbox) == [f"+4479111234{n:02d}" for n in range(30)]
    assert OutboundText.objects.filter(status=OutboundText.Status.SENT).count() == 30


def test_texts_queued_together_go_in_batches_once_each_over_one_client_per_batch(
    twilio_api, monkeypatch, django_capture_on_commit_callbacks
):
    """An event's invitations to 5 members: 3 batches of 2, each claimed at once and sent through
    one Twilio client; queuing them again texts nobody twice."""
    members = MemberFactory.create_batch(5)
    MemberMobile.objects.bulk_create(
        MemberMobile(
            member=member,
            number=f"+4479111234{n:02d}",
            verified_at=timezone.now(),
            consent_at=timezone.now(),
            invitations=Channel.TEXT,
        )
        for n, member in enumerate(members)
    )
    no_number = MemberFactory()
    monkeypatch.setattr(text_outbox, "SEND_BATCH", 2)
    batches, clients = [], []
    send_batch = text_tasks.text_send_batch_task.apply_async
    monkeypatch.setattr(
        text_tasks.text_send_batch_task,
        "apply_async",
        lambda args, *a, **k: batches.append(args[0]) or send_batch(args, *a, **k),
    )
    make_client = twilio_backend.twilio_client
    monkeypatch.setattr(twilio_backend, "twilio_client", lambda: clients.append(1) or make_client())

    def queue():
        with django_capture_on_commit_callbacks(execute=True):
            return text_queue_many(
                members=[*members, no_number],
                kind="invitations",
                body=lambda member: f"Cars & Coffee Sun 9:00, {member.display_name}?",
                dedupe_key="event:1",
            )

    with freeze_time(datetime(2026, 7, 4, 12, 0, tzinfo=LONDON)):  # daytime: no quiet hours
        assert len(queue()) == 5
        assert queue() == []  # pressed again: nothing new, and nothing sent again
    assert [len(batch) for batch in batches] == [2, 2, 1] and len(clients) == 3
    assert sorted(m["To"] for m in twilio_api.messages) == [f"+4479111234{n:02d}" for n in range(5)]
    assert OutboundText.objects.filter(status=OutboundText.Status.SENT).count() == 5


def test_twilio_backend_sends_through_the_messages_api(twilio_api):
    text = _enqueue(urgent=True)
    assert text_send(text_id=text.pk) is True
    text.refresh_from_db()
    assert [(m["To"], m["From"], m["Body"]) for m in twilio_api.messages] == [
        ("+447911123456", "+447700900000", "Cars & Coffee Sat 10:00")
    ]
    assert text.provider_id.startswith("SM")


def test_twilio_backend_uses_the_messaging_service_when_set(twilio_api, settings):
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "1" * 32
    text_send(text_id=_enqueue(urgent=True).pk)
    assert twilio_api.messages[0]["MessagingServiceSid"] == "MG" + "1" * 32
    assert "From" not in twilio_api.messages[0]


def test_twilio_provider_error_is_retried_with_backoff_then_sent(twilio_api):
    twilio_api.fail_next(500, times=2)
    with freeze_time("2026-12-05 12:00:00") as clock:
        text = _enqueue(urgent=True)
        assert text_send(text_id=text.pk) is False
        text.refresh_from_db()
        assert (text.status, text.attempts) == (OutboundText.Status.QUEUED, 1)
        assert text.lease_until == timezone.now() + timedelta(seconds=30)
        assert text_outbox_flush() == 0  # not due yet
        clock.tick(timedelta(seconds=31))
        assert text_outbox_flush() == 0  # the second failure: 60 s more
        text.refresh_from_db()
        assert text.attempts == 2 and "500" in text.last_error
        clock.tick(timedelta(seconds=61))
        assert text_outbox_flush() == 1
    text.refresh_from_db()
    assert (text.status, text.attempts) == (OutboundText.Status.SENT, 3)
    assert len(twilio_api.requests) == 3 and len(twilio_api.messages) == 1


def test_twilio_throttling_429_is_retried(twilio_api):
    twilio_api.fail_next(429)
    text = _enqueue(urgent=True)
    text_send(text_id=text.pk)
    text.refresh_from_db()
    assert text.status == OutboundText.Status.QUEUED and text.lease_until is not None


def test_twilio_refused_number_fails_at_once(twilio_api):
    twilio_api.fail_next(400, code=21211, message="The 'To' number is not a valid phone number.")
    text = _enqueue(urgent=True)
    text_send(text_id=text.pk)
    text.refresh_from_db()
    assert (text.status, text.attempts) == (OutboundText.Status.FAILED, 1)
    assert "21211" in text.last_error


def test_twilio_unreachable_is_retried(settings, twilio_api):
    settings.TWILIO_API_BASE = "http://127.0.0.1:9"  # nothing listens on the discard port
    text = _enqueue(urgent=True)
    text_send(text_id=text.pk)
    text.refresh_from_db()
    assert text.status == OutboundText.Status.QUEUED and "unreachable" in text.last_error


def test_text_queued_at_2230_is_held_until_0800(texts_outbox, quiet_hours):
    with freeze_time(datetime(2026, 7, 3, 22, 30, tzinfo=LONDON)) as clock:
        text = _enqueue()
        assert text.send_after == datetime(2026, 7, 4, 8, 0, tzinfo=LONDON)
        assert text_send(text_id=text.pk) is False
        clock.move_to(datetime(2026, 7, 4, 7, 59, tzinfo=LONDON))
        assert text_outbox_flush() == 0
        clock.move_to(datetime(2026, 7, 4, 8, 0, tzinfo=LONDON))
        assert text_outbox_flush() == 1
    assert len(texts_outbox) == 1


def test_urgent_text_at_2230_goes_at_once(texts_outbox, quiet_hours):
    with freeze_time(datetime(2026, 7, 3, 22, 30, tzinfo=LONDON)):
        text = _enqueue(urgent=True, kind="changes", body="Tomorrow's drive is cancelled.")
        assert text_send(text_id=text.pk) is True
    assert texts_outbox[0]["body"] == "Tomorrow's drive is cancelled."


def test_retry_falling_in_quiet_hours_is_held_until_0800(twilio_api, quiet_hours):
    twilio_api.fail_next(503)
    with freeze_time(datetime(2026, 7, 3, 20, 59, 50, tzinfo=LONDON)) as clock:
        text = _enqueue()
        text_send(text_id=text.pk)
        clock.tick(timedelta(seconds=31))  # 21:00:21
        assert text_outbox_flush() == 0
        text.refresh_from_db()
        assert text.send_after == datetime(2026, 7, 4, 8, 0, tzinfo=LONDON)
    assert twilio_api.messages == []


def test_text_segments_gsm7_fits_160_in_one_and_splits_by_153():
    assert text_segments("a" * 160) == 1
    assert text_segments("a" * 161) == 2
    assert text_segments("a" * 306) == 2 and text_segments("a" * 307) == 3


def test_text_segments_one_emoji_makes_the_text_ucs2():
    assert text_segments("a" * 68 + "🏁") == 1  # 70 UTF-16 units
    assert text_segments("a" * 69 + "🏁") == 2
    assert text_segments("a" * 159 + "🏁") == 3  # 161 units, 67 per part


def test_text_segments_gsm7_extension_characters_count_twice():
    assert text_segments("€" * 80) == 1 and text_segments("€" * 81) == 2


def test_file_backend_writes_one_file_per_text_in_var_sms(settings, tmp_path):
    settings.SMS_BACKEND = "community.texts.backends.files.FileBackend"
    settings.SMS_FILE_DIR = tmp_path / "sms"
    for n in range(2):
        text_send(text_id=_enqueue(urgent=True, dedupe_key=f"k:{n}", body=f"Text {n}").pk)
    files = sorted((tmp_path / "sms").iterdir())
    assert len(files) == 2
    assert [f.read_text().splitlines() for f in files] == [
        ["To: +447911123456", "Segments: 1", "", f"Text {n}"] for n in range(2)
    ]


def test_sent_texts_screen_lists_texts_for_staff(client, staff):
    _enqueue(body="See you at Cars & Coffee")
    client.force_login(staff)
    response = client.get("/admin/text-outbox/")
    assert response.status_code == 200 and "+447911123456" in response.content.decode()


def test_sent_texts_screen_offers_no_editing(client, staff):
    text = _enqueue()
    client.force_login(staff)
    response = client.get(f"/admin/text-outbox/edit/{text.pk}/")
    assert response.status_code in (302, 403)
