"""Queued mail reaches the workers through one drain task per burst: 200 answers in a second
queue one task, not 200, and nothing committed meanwhile is left behind (community/outbox.py)."""

import pytest
from django.core import mail

from community import tasks
from community.models import OutboundEmail
from community.outbox import outbox_drain, outbox_enqueue

pytestmark = pytest.mark.django_db


@pytest.fixture
def workers(monkeypatch):
    """Tasks go to workers (not run in the request); what was queued is recorded."""
    queued = []
    monkeypatch.setitem(tasks.outbox_drain_task.app.conf, "task_always_eager", False)
    monkeypatch.setattr(
        tasks.outbox_drain_task,
        "apply_async",
        lambda *a, **k: queued.append(("drain", k.get("countdown"))) or object(),
    )
    monkeypatch.setattr(
        tasks.outbox_send_task, "apply_async", lambda *a, **k: queued.append("send") or object()
    )
    return queued


def _commit_one(capture, n: int) -> None:
    with capture(execute=True):
        outbox_enqueue(kind="test", to=f"member{n}@example.com", subject="Hi", body="x")


def test_outbox_many_commits_queue_one_drain(workers, django_capture_on_commit_callbacks):
    for n in range(3):
        _commit_one(django_capture_on_commit_callbacks, n)
    assert [name for name, _ in workers] == ["drain"]


def test_outbox_drain_waits_a_moment_for_the_rest_of_a_burst(
    workers, settings, django_capture_on_commit_callbacks
):
    settings.PADDOCK_OUTBOX_DRAIN_DELAY = 1.5
    _commit_one(django_capture_on_commit_callbacks, 0)
    assert workers == [("drain", 1.5)]


def test_outbox_drain_sends_everything_queued(workers, django_capture_on_commit_callbacks):
    for n in range(3):
        _commit_one(django_capture_on_commit_callbacks, n)
    assert outbox_drain() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [f"member{n}@example.com" for n in range(3)]
    assert not OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED).exists()


def test_outbox_commit_after_a_drain_began_queues_the_next_drain(
    workers, django_capture_on_commit_callbacks
):
    _commit_one(django_capture_on_commit_callbacks, 0)
    outbox_drain()  # the task frees the key first
    _commit_one(django_capture_on_commit_callbacks, 1)
    assert [name for name, _ in workers] == ["drain", "drain"]


def test_outbox_without_workers_the_request_sends_its_own_message(
    django_capture_on_commit_callbacks,
):
    _commit_one(django_capture_on_commit_callbacks, 0)
    assert [m.to for m in mail.outbox] == [["member0@example.com"]]


def test_outbox_same_dedupe_key_twice_queues_one_row():
    first = outbox_enqueue(kind="test", to="a@example.com", subject="Hi", body="x", dedupe_key="k")
    again = outbox_enqueue(kind="test", to="a@example.com", subject="Hi", body="x", dedupe_key="k")
    assert first.pk is not None and again is None
    assert OutboundEmail.objects.filter(dedupe_key="k").count() == 1


def test_outbox_with_redis_away_queues_no_drain_and_the_flush_sends_the_mail(
    workers, redis_away, django_capture_on_commit_callbacks
):
    from community.outbox import outbox_flush

    _commit_one(django_capture_on_commit_callbacks, 0)
    assert workers == []  # no key could be set: beat's flush is what sends it
    assert outbox_flush() == 1
    assert [m.to for m in mail.outbox] == [["member0@example.com"]]
