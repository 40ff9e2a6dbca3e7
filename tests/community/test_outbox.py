"""The outbox: messages survive Redis or SMTP being down, go out once, and only once."""

from datetime import timedelta
from threading import Thread

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from community.models import OutboundEmail
from community.outbox import outbox_enqueue, outbox_flush, outbox_send

pytestmark = pytest.mark.django_db


def enqueue(**overrides):
    fields = {"kind": "test", "to": "sam@example.com", "subject": "Hello", "body": "Body"}
    fields.update(overrides)
    return outbox_enqueue(**fields)


def test_outbox_enqueue_sends_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue()
    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.SENT
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]


def test_outbox_enqueue_same_dedupe_key_twice_queues_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue(dedupe_key="reminder:1:2")
        second = enqueue(dedupe_key="reminder:1:2")
    assert first is not None and second is None
    assert len(mail.outbox) == 1


def test_outbox_enqueue_strips_line_breaks_from_subject():
    message = enqueue(subject="Hi\r\nBcc: victim@example.com")
    assert message.subject == "Hi Bcc: victim@example.com"


def test_outbox_message_waits_when_broker_is_down_and_flush_sends_it(
    django_capture_on_commit_callbacks, monkeypatch
):
    from kombu.exceptions import OperationalError

    from community import tasks
    from paddock.breaker import breaker

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    # A real worker set-up (not eager) whose broker refuses: paddock.celery.enqueue logs and goes on.
    with monkeypatch.context() as patch:
        patch.setitem(tasks.outbox_send_task.app.conf, "task_always_eager", False)
        patch.setattr(tasks.outbox_drain_task, "apply_async", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            message = enqueue()
    breaker("The Celery broker").succeeded()  # later tests find the broker answering
    assert OutboundEmail.objects.get(pk=message.pk).status == OutboundEmail.Status.QUEUED
    assert outbox_flush() == 1
    assert OutboundEmail.objects.get(pk=message.pk).status == OutboundEmail.Status.SENT


def test_outbox_message_stays_queued_while_smtp_is_down_and_goes_when_it_is_back(
    settings, smtp_server
):
    message = enqueue()
    settings.EMAIL_PORT = 1  # nothing listens there: connection refused
    assert outbox_send(message_id=message.pk) is False
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboundEmail.Status.QUEUED, 1)
    assert "refused" in message.last_error.lower() or "Errno" in message.last_error
    settings.EMAIL_PORT = smtp_server.port
    OutboundEmail.objects.filter(pk=message.pk).update(lease_until=timezone.now())  # retry due
    assert outbox_flush() == 1
    received = smtp_server.wait_for_message(lambda m: "sam@example.com" in m.envelope_to)
    assert received.subject == "Hello"


def test_outbox_failed_message_waits_for_its_retry_time(settings):
    message = enqueue()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    settings.PADDOCK_OUTBOX_RETRY_SECONDS = 30
    outbox_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.lease_until > timezone.now() + timedelta(seconds=25) and not message.claimed_by
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_flush() == 0 and mail.outbox == []


def test_outbox_retry_waits_double_after_each_failure(settings):
    from community.outbox import _retry_delay

    settings.PADDOCK_OUTBOX_RETRY_SECONDS = 30
    assert [_retry_delay(n).total_seconds() for n in (1, 2, 3, 9)] == [30, 60, 120, 3600]


def test_outbox_send_twice_sends_once():
    message = enqueue()
    assert outbox_send(message_id=message.pk) is True
    assert outbox_send(message_id=message.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outbox_flush_by_two_workers_at_once_sends_each_message_once(site_tree, monkeypatch):
    from community import tasks

    monkeypatch.setattr(
        tasks.outbox_send_task, "apply_async", lambda *a, **k: None
    )  # no worker yet
    for n in range(30):
        outbox_enqueue(kind="test", to=f"member{n}@example.com", subject="Hi", body="x")

    def worker():
        try:
            outbox_flush()
        finally:
            connection.close()

    assert len(mail.outbox) == 0
    threads = [Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(mail.outbox) == 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"member{n}@example.com" for n in range(30)
    )


def test_sent_emails_screen_lists_messages_for_staff(client, staff):
    enqueue(subject="Your post is live")
    client.force_login(staff)
    response = client.get("/admin/outbox/")
    assert response.status_code == 200 and "Your post is live" in response.content.decode()


def test_sent_emails_screen_offers_no_editing(client, staff):
    message = enqueue(subject="Hello")
    client.force_login(staff)
    response = client.get(f"/admin/outbox/edit/{message.pk}/")
    assert response.status_code in (302, 403)


def _prepared(n: int, **fields) -> OutboundEmail:
    return OutboundEmail(
        kind="test",
        to=f"member{n}@example.com",
        subject="Hi",
        body="x",
        dedupe_key=f"k:{n}",
        **fields,
    )


def test_outbox_enqueue_many_leaves_an_earlier_message_with_the_same_key_alone(
    django_capture_on_commit_callbacks,
):
    from community.outbox import outbox_enqueue_many

    earlier = enqueue(dedupe_key="k:1", subject="Earlier")
    outbox_enqueue_many([_prepared(1), _prepared(2)])
    assert OutboundEmail.objects.get(pk=earlier.pk).subject == "Earlier"
    assert OutboundEmail.objects.count() == 2


def test_outbox_enqueue_many_refuses_a_message_without_dedupe_key():
    from community.outbox import outbox_enqueue_many

    with pytest.raises(ValueError):
        outbox_enqueue_many([OutboundEmail(kind="test", to="a@example.com", subject="s", body="b")])


def test_outbox_enqueue_many_sends_in_batches_after_commit(django_capture_on_commit_callbacks):
    from community.outbox import outbox_enqueue_many

    with django_capture_on_commit_callbacks(execute=True):
        outbox_enqueue_many([_prepared(n) for n in range(5)])
    assert sorted(m.to[0] for m in mail.outbox) == [f"member{n}@example.com" for n in range(5)]
    assert not OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT).exists()


def test_outbox_send_many_records_an_smtp_failure_on_each_message(settings):
    from community.outbox import outbox_enqueue_many, outbox_send_many

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    waiting = outbox_enqueue_many([_prepared(n) for n in range(3)])
    assert outbox_send_many(message_ids=list(waiting.values())) == 0
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {("queued", 1)}
    assert all(OutboundEmail.objects.values_list("last_error", flat=True))
