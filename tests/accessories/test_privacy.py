"""A member's accessory questions are in their data download and lose who asked when they leave."""

import pytest

from accessories.models import Lead
from community import selectors, services
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def test_data_export_lists_the_members_accessory_questions(member):
    LeadFactory(member=member, name="Sam Porter", email=member.email, message="Black?")
    LeadFactory(message="Someone else's")
    exported = selectors.member_export(member=member)["accessory_questions"]
    assert [row["message"] for row in exported] == ["Black?"]


def test_deleting_an_account_keeps_the_lead_but_not_who_asked(member):
    lead = LeadFactory(
        member=member, name="Sam Porter", email=member.email, phone="07700 900123", message="Hi"
    )
    services.member_delete(member=member, contributions="anonymise")
    lead = Lead.objects.get(pk=lead.pk)
    assert (lead.member, lead.name, lead.email, lead.phone, lead.message) == (
        None,
        "Former member",
        "",
        "",
        "",
    )
