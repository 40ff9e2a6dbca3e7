"""The demo's owners who take texts: a verified, consented mobile, so `make run` shows texts in
var/sms/ and on the owner card."""

import pytest

from community.models import Channel, MemberMobile

pytestmark = pytest.mark.django_db


def test_demo_member_has_a_verified_mobile_taking_email_and_texts(seeded_demo):
    mobile = MemberMobile.objects.get(member__email="member@paddock.localhost")
    assert mobile.number == "+447911123401" and mobile.can_text
    assert {getattr(mobile, kind) for kind in MemberMobile.KINDS} == {Channel.BOTH}
    assert MemberMobile.objects.filter(invitations=Channel.TEXT).count() == 2
