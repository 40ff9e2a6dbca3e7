"""Tokens in emails: RSVP links and reply addresses identify member and event and resist tampering."""

import pytest
from freezegun import freeze_time

from events import tokens


def test_rsvp_link_token_round_trips_event_and_member():
    token = tokens.rsvp_link_token(event_id=12, member_id=345)
    assert tokens.read_rsvp_link_token(token) == tokens.LinkTarget(event_id=12, member_id=345)


def test_rsvp_link_token_tampered_is_invalid():
    token = tokens.rsvp_link_token(event_id=12, member_id=345)
    with pytest.raises(tokens.TokenInvalid):
        tokens.read_rsvp_link_token(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1])


def test_rsvp_link_token_after_sixty_days_is_expired_but_names_the_member():
    with freeze_time("2026-01-01"):
        token = tokens.rsvp_link_token(event_id=12, member_id=345)
    with freeze_time("2026-03-15"), pytest.raises(tokens.TokenExpired) as excinfo:
        tokens.read_rsvp_link_token(token)
    assert (excinfo.value.event_id, excinfo.value.member_id) == (12, 345)


def test_reply_address_round_trips_and_fits_a_local_part(settings):
    settings.PADDOCK_INBOUND_DOMAIN = "reply.example.com"
    address = tokens.reply_address(event_id=123456, member_id=987654)
    local, domain = address.split("@")
    assert domain == "reply.example.com" and len(local) <= 64
    assert tokens.read_reply_address(address) == tokens.LinkTarget(
        event_id=123456, member_id=987654
    )


def test_reply_address_with_other_member_id_is_rejected():
    local = tokens.reply_local_part(event_id=1, member_id=2)
    forged = local.replace(".2.", ".3.")
    assert tokens.read_reply_address(f"{forged}@reply.example.com") is None


def test_reply_address_is_case_insensitive():
    address = tokens.reply_address(event_id=5, member_id=6).upper()
    assert tokens.read_reply_address(address) == tokens.LinkTarget(event_id=5, member_id=6)


def test_reply_address_made_with_previous_secret_key_still_verifies(settings):
    old = tokens.reply_address(event_id=5, member_id=6)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-paddock-" + "x" * 30
    assert tokens.read_reply_address(old) == tokens.LinkTarget(event_id=5, member_id=6)
