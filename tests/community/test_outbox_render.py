"""Messages queued as what to render: the sender renders them, and a render that fails is retried."""

import pytest
from django.core import mail
from django.utils import timezone

from community.models import OutboundEmail
from community.outbox import outbox_enqueue, outbox_flush, outbox_render, outbox_renderer

pytestmark = pytest.mark.django_db

calls = {"fail": 0, "rendered": 0}


@outbox_renderer("tests.greeting")
def greeting(message, data: dict) -> dict:
    if calls["fail"]:
        calls["fail"] -= 1
        raise RuntimeError("template missing")
    calls["rendered"] += 1
    return {"subject": f"Hello {data['name']}", "body": f"Dear {data['name']},\n"}


@pytest.fixture(autouse=True)
def _reset_calls():
    calls.update(fail=0, rendered=0)


def enqueue_greeting(name: str = "Sam") -> OutboundEmail:
    return outbox_enqueue(
        kind="greeting",
        to="sam@example.com",
        render={"renderer": "tests.greeting", "data": {"name": name}},
        dedupe_key=f"greeting:{name}",
    )


def test_outbox_enqueue_with_render_spec_stores_it_and_renders_nothing():
    message = enqueue_greeting()
    message.refresh_from_db()
    assert message.render == {"renderer": "tests.greeting", "data": {"name": "Sam"}}
    assert (message.subject, message.body, calls["rendered"]) == ("", "", 0)


def test_outbox_enqueue_with_unknown_renderer_is_refused():
    with pytest.raises(LookupError):
        outbox_enqueue(kind="x", to="sam@example.com", render={"renderer": "nobody.knows"})
    assert not OutboundEmail.objects.exists()


def test_outbox_render_writes_the_rendering_and_clears_the_spec():
    message = outbox_render(enqueue_greeting())
    stored = OutboundEmail.objects.get(pk=message.pk)
    assert (stored.subject, stored.body, stored.render) == ("Hello Sam", "Dear Sam,\n", None)


def test_outbox_sends_a_render_spec_row_fully_rendered_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue_greeting()
    [sent] = mail.outbox
    assert (sent.subject, sent.body) == ("Hello Sam", "Dear Sam,\n")
    message.refresh_from_db()
    assert (message.status, message.render) == (OutboundEmail.Status.SENT, None)


def test_outbox_render_failure_is_retried_and_the_message_not_lost(settings):
    settings.PADDOCK_OUTBOX_RETRY_SECONDS = 30
    calls["fail"] = 1
    message = enqueue_greeting()
    assert outbox_flush() == 0 and mail.outbox == []
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboundEmail.Status.QUEUED, 1)
    assert "template missing" in message.last_error
    assert message.render is not None and message.lease_until > timezone.now()  # backing off
    OutboundEmail.objects.filter(pk=message.pk).update(lease_until=timezone.now())  # retry due
    assert outbox_flush() == 1
    assert [m.subject for m in mail.outbox] == ["Hello Sam"]
    message.refresh_from_db()
    assert (message.status, message.last_error) == (OutboundEmail.Status.SENT, "")


def test_outbox_render_failure_leaves_the_rest_of_the_claim_to_be_sent():
    calls["fail"] = 1
    first, second = enqueue_greeting("Ann"), enqueue_greeting("Bob")
    assert outbox_flush() == 1
    assert [m.subject for m in mail.outbox] == ["Hello Bob"]
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (OutboundEmail.Status.QUEUED, OutboundEmail.Status.SENT)
