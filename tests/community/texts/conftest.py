"""Fixtures for texts: the in-memory text backend emptied, a member who may be texted, and a local
server speaking Twilio's Messages API with the real SDK pointed at it."""

import re

import pytest
from django.utils import timezone

from community.models import Channel, MemberMobile
from community.texts.backends import locmem
from tests.factories import StaffFactory
from tests.support.twilio_api import TwilioAPI

SID, TOKEN = "AC" + "0" * 32, "test-auth-token"


@pytest.fixture(autouse=True)
def texts_outbox():
    """The texts the locmem backend was handed, emptied before each test."""
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


def code_in(texts: list[dict]) -> str:
    """The six-digit code in the last text sent."""
    return re.search(r"\b(\d{6})\b", texts[-1]["body"]).group(1)


@pytest.fixture
def texting_member(member):
    """A member with a verified number who consented and chose texts for invitations."""
    MemberMobile.objects.create(
        member=member,
        number="+447911123456",
        verified_at=timezone.now(),
        consent_at=timezone.now(),
        consent_wording="Yes, text me.",
        invitations=Channel.TEXT,
        changes=Channel.BOTH,
    )
    return member


@pytest.fixture
def quiet_hours(settings):
    """Production's quiet hours, 21:00-08:00 dealership time (the test settings have none)."""
    settings.PADDOCK_TEXT_QUIET_FROM, settings.PADDOCK_TEXT_QUIET_UNTIL = 21, 8


@pytest.fixture
def twilio_api(settings):
    """Twilio's Messages API on 127.0.0.1, with SMS_BACKEND set to the Twilio backend."""
    with TwilioAPI(sid=SID, token=TOKEN) as api:
        settings.SMS_BACKEND = "community.texts.backends.twilio.TwilioBackend"
        settings.TWILIO_ACCOUNT_SID = SID
        settings.TWILIO_AUTH_TOKEN = TOKEN
        settings.TWILIO_FROM_NUMBER = "+447700900000"
        settings.TWILIO_MESSAGING_SERVICE_SID = ""
        settings.TWILIO_API_BASE = api.base_url
        yield api


@pytest.fixture
def advisor(db):
    """Tom, a member of staff who looks after owners."""
    return StaffFactory(display_name="Tom Okafor", email="tom@dealer.example")


@pytest.fixture
def owner(texting_member, advisor):
    """The texting member, looked after by Tom, who chose texts for messages from their advisor."""
    MemberMobile.objects.filter(member=texting_member).update(advisor=Channel.TEXT)
    texting_member.advisor = advisor
    texting_member.display_name = "Sam Porter"
    texting_member.save(update_fields=["advisor", "display_name"])
    return texting_member
