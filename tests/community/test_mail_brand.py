"""Mail carries the showroom's name and colours, not Paddock's green."""

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def navy_showroom():
    from wagtail.models import Site

    from community.models import DealershipSettings

    dealership = DealershipSettings.for_site(Site.objects.get(is_default_site=True))
    dealership.name = "Harbourside MINI"
    dealership.brand_colour = "#0f3b5f"
    dealership.accent_colour = "#f4b83a"
    dealership.from_email = ""
    dealership.save()
    return dealership


def test_mail_brand_gives_the_showrooms_colours(navy_showroom):
    from wagtail.models import Site

    from community.showrooms import mail_brand

    brand = mail_brand(Site.objects.get(is_default_site=True))
    assert brand == {
        "colour": "#0f3b5f",
        "ink": "#ffffff",
        "accent": "#f4b83a",
        "accent_ink": "#1b1b1b",
    }


def test_invitation_html_is_in_the_showrooms_colours(navy_showroom, member):
    from events.invitations import InvitationRenderer
    from tests.factories import make_event

    html = InvitationRenderer(make_event()).render(member).html
    assert "background:#0f3b5f" in html and "#f4b83a" in html
    assert "#0b5d4b" not in html


def test_invitation_comes_from_the_showroom_by_name(navy_showroom, member):
    from events.invitations import InvitationRenderer
    from tests.factories import make_event

    sender = InvitationRenderer(make_event()).from_email
    assert sender.startswith("Harbourside MINI <")


def test_password_reset_mail_comes_from_the_showroom_by_name(client, navy_showroom, member):
    client.post("/accounts/password/reset/", {"email": member.email})
    assert mail.outbox[-1].from_email.startswith("Harbourside MINI <")
