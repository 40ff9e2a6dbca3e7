"""A member's mobile number: parsed in the showroom's country, confirmed with a texted code
(rate-limited, expiring, a few tries), consent recorded with its wording, channels per kind."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from community.models import (
    Channel,
    DealershipSettings,
    MemberMobile,
    MobileVerification,
    OutboundText,
)
from community.texts.channels import consent_wording
from community.texts.selectors import message_channels
from community.texts.services import (
    TextError,
    mobile_code_confirm,
    mobile_code_send,
    mobile_number_parse,
    text_queue,
)
from tests.community.texts.conftest import code_in

pytestmark = pytest.mark.django_db

URL = "/account/texts/"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs a call as if its transaction committed (the texts it queued are sent)."""

    def run(call, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(**kwargs)

    return run


def _post(client, action: str, **fields):
    data = {kind: "email" for kind in MemberMobile.KINDS}
    data.update(action=action, **fields)
    return client.post(URL, data)


def test_mobile_number_parse_national_number_in_showroom_country_gives_e164(site_tree):
    assert mobile_number_parse(raw="07911 123456", site=site_tree) == "+447911123456"


def test_mobile_number_parse_follows_a_showroom_in_another_country(site_tree):
    DealershipSettings.objects.update_or_create(site=site_tree, defaults={"country": "FR"})
    assert mobile_number_parse(raw="06 12 34 56 78", site=site_tree) == "+33612345678"


def test_mobile_number_parse_unparseable_number_raises_coded_error(site_tree):
    with pytest.raises(TextError) as excinfo:
        mobile_number_parse(raw="call me", site=site_tree)
    assert excinfo.value.code == "unparseable"


def test_mobile_number_parse_landline_is_refused(site_tree):
    with pytest.raises(TextError) as excinfo:
        mobile_number_parse(raw="020 7946 0000", site=site_tree)
    assert excinfo.value.code == "not_mobile"


def test_mobile_page_bad_number_shows_error_and_keeps_what_was_typed(client, member, site_tree):
    client.force_login(member)
    response = _post(client, "send_code", number="07911 12", consent="on", reminders="both")
    html = response.content.decode()
    assert response.status_code == 200
    assert "not complete or not in use" in html
    assert 'value="07911 12"' in html
    assert 'name="reminders" value="both" required id="id_reminders_2" checked' in html
    assert not MemberMobile.objects.filter(member=member).exists()


def test_mobile_code_send_texts_a_code_through_the_backend(
    member, site_tree, texts_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        verification = mobile_code_send(member=member, raw_number="07911 123456", site=site_tree)
    assert [t["to"] for t in texts_outbox] == ["+447911123456"]
    code = code_in(texts_outbox)
    assert code not in verification.code_hash
    text = OutboundText.objects.get(kind="mobile_code")
    assert text.status == OutboundText.Status.SENT and code not in text.body


def test_mobile_code_confirm_wrong_code_is_refused_and_counted(
    member, site_tree, texts_outbox, committed
):
    committed(mobile_code_send, member=member, raw_number="07911 123456", site=site_tree)
    wrong = f"{(int(code_in(texts_outbox)) + 1) % 10**6:06d}"
    with pytest.raises(TextError) as excinfo:
        mobile_code_confirm(member=member, code=wrong)
    assert excinfo.value.code == "wrong_code"
    assert MobileVerification.objects.get(member=member).wrong_tries == 1
    assert MemberMobile.objects.get(member=member).verified_at is None


def test_mobile_code_confirm_expired_code_is_refused(member, site_tree, texts_outbox, committed):
    with freeze_time(timezone.now()) as clock:
        committed(mobile_code_send, member=member, raw_number="07911 123456", site=site_tree)
        clock.tick(timedelta(minutes=10, seconds=1))
        with pytest.raises(TextError) as excinfo:
            mobile_code_confirm(member=member, code=code_in(texts_outbox))
    assert excinfo.value.code == "code_expired"
    assert MemberMobile.objects.get(member=member).verified_at is None


def test_mobile_code_confirm_after_five_wrong_tries_refuses_the_right_code(
    member, site_tree, texts_outbox, committed
):
    committed(mobile_code_send, member=member, raw_number="07911 123456", site=site_tree)
    code = code_in(texts_outbox)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        with pytest.raises(TextError):
            mobile_code_confirm(member=member, code=wrong)
    with pytest.raises(TextError) as excinfo:
        mobile_code_confirm(member=member, code=code)
    assert excinfo.value.code == "too_many_tries"


def test_mobile_code_send_fourth_code_to_a_number_within_an_hour_is_refused(
    member, site_tree, texts_outbox, committed
):
    for _ in range(3):
        committed(mobile_code_send, member=member, raw_number="07911 123456", site=site_tree)
    with pytest.raises(TextError) as excinfo:
        mobile_code_send(member=member, raw_number="+44 7911 123456", site=site_tree)
    assert excinfo.value.code == "too_many_codes"
    assert len(texts_outbox) == 3


def test_mobile_page_code_confirmed_records_verified_number_and_consent_with_wording(
    client, member, site_tree, texts_outbox, committed
):
    client.force_login(member)
    fields = {"number": "07911 123456", "consent": "on", "invitations": "text"}
    with freeze_time("2026-12-05 10:15:00"):
        committed(_post, client=client, action="send_code", **fields)
        response = _post(client, "confirm", code=code_in(texts_outbox), **fields)
    assert response.status_code == 302
    mobile = MemberMobile.objects.get(member=member)
    assert mobile.number == "+447911123456" and mobile.verified_at is not None
    assert mobile.consent_wording == consent_wording(dealership_name="Paddock Motors")
    assert mobile.consent_at.isoformat() == "2026-12-05T10:15:00+00:00"
    assert mobile.invitations == Channel.TEXT and mobile.can_text


def test_mobile_page_wrong_code_shows_error_and_keeps_what_was_typed(
    client, member, site_tree, texts_outbox, committed
):
    client.force_login(member)
    committed(_post, client=client, action="send_code", number="07911 123456")
    response = _post(
        client, "confirm", number="07911 123456", code="000000x", consent="on", advisor="text"
    )
    html = response.content.decode()
    assert "not the code we texted" in html
    assert 'value="000000x"' in html
    assert 'name="advisor" value="text" required id="id_advisor_1" checked' in html
    assert MemberMobile.objects.get(member=member).verified_at is None


def test_text_queue_email_only_choice_queues_no_text(texting_member):
    assert (
        text_queue(member=texting_member, kind="reminders", body="Tomorrow 10:00", dedupe_key="r:1")
        is None
    )
    assert message_channels(member=texting_member, kind="reminders") == {"email"}
    assert not OutboundText.objects.exists()


def test_text_queue_text_chosen_queues_one_text_per_member_and_key(texting_member):
    first = text_queue(member=texting_member, kind="invitations", body="Come!", dedupe_key="e:1")
    again = text_queue(member=texting_member, kind="invitations", body="Come!", dedupe_key="e:1")
    assert first.to == "+447911123456" and again is None
    assert message_channels(member=texting_member, kind="invitations") == {"text"}


def test_text_queue_member_who_replied_stop_gets_email_instead(texting_member):
    MemberMobile.objects.filter(member=texting_member).update(stopped_at=timezone.now())
    assert text_queue(member=texting_member, kind="invitations", body="x", dedupe_key="e:1") is None
    assert message_channels(member=texting_member, kind="invitations") == {"email"}


def test_text_queue_unverified_number_gets_email_instead(texting_member):
    MemberMobile.objects.filter(member=texting_member).update(verified_at=None)
    assert text_queue(member=texting_member, kind="invitations", body="x", dedupe_key="e:1") is None
    assert message_channels(member=texting_member, kind="invitations") == {"email"}


def test_mobile_page_saving_a_new_number_texts_it_a_code_first(
    client, texting_member, site_tree, texts_outbox, committed
):
    client.force_login(texting_member)
    committed(_post, client=client, action="save", number="07400 123456", consent="on")
    mobile = MemberMobile.objects.get(member=texting_member)
    assert (mobile.number, mobile.verified_at) == ("+447400123456", None)
    assert [t["to"] for t in texts_outbox] == ["+447400123456"]


def test_mobile_page_withdrawing_consent_stops_texts(client, texting_member, site_tree):
    client.force_login(texting_member)
    _post(client, "save", number="+44 7911 123456", invitations="text")
    mobile = MemberMobile.objects.get(member=texting_member)
    assert (mobile.consent_at, mobile.consent_wording) == (None, "")
    assert message_channels(member=texting_member, kind="invitations") == {"email"}


def test_mobile_page_remove_deletes_the_number(client, texting_member, site_tree):
    client.force_login(texting_member)
    response = _post(client, "remove", number="+44 7911 123456")
    assert response.status_code == 302
    assert not MemberMobile.objects.filter(member=texting_member).exists()
