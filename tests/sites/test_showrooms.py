"""Several showrooms: each Site shows its own events, clubs, posts and branding; one member account
works on all of them; mail about a showroom's event speaks for that showroom."""

import pytest
from django.test import Client

from community.models import ClubIndexPage, HomePage, OutboundEmail
from community.outbox import build_message, outbox_render
from events.models import EventIndexPage, Rsvp

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def _get(client, showroom, path):
    response = client.get(path, HTTP_HOST=showroom.host)
    assert response.status_code == 200, (showroom.host, path, response.status_code)
    return response.content.decode()


def test_home_page_lists_only_its_own_showrooms_events(client, north, south):
    html = _get(client, north, "/")
    assert "Northgate track night" in html
    assert "Southbay track night" not in html


def test_event_index_lists_only_its_own_showrooms_events(client, north, south):
    html = _get(client, south, "/events/")
    assert "Southbay track night" in html
    assert "Northgate track night" not in html


def test_club_index_lists_only_its_own_showrooms_clubs(client, north, south):
    html = _get(client, north, "/clubs/")
    assert "Northgate Cooper club" in html
    assert "Southbay Cooper club" not in html


def test_community_feed_shows_only_its_own_showrooms_club_posts(client, north, south):
    html = _get(client, south, "/community/")
    assert "Southbay coffee run" in html
    assert "Northgate coffee run" not in html


def test_event_filter_offers_only_its_own_showrooms_clubs(client, north, south):
    html = _get(client, north, "/events/")
    assert f'value="{north.club.pk}"' in html
    assert f'value="{south.club.pk}"' not in html


def test_each_showroom_shows_its_own_name(client, north, south):
    north_html, south_html = _get(client, north, "/"), _get(client, south, "/")
    assert "Northgate MINI" in north_html and "Southbay MINI" not in north_html
    assert "Southbay MINI" in south_html and "Northgate MINI" not in south_html


def test_each_showroom_serves_its_own_brand_colour(client, north, south):
    assert f"--brand: {north.colour};" in _get(client, north, "/theme.css")
    assert f"--brand: {south.colour};" in _get(client, south, "/theme.css")


def test_one_member_account_logs_in_and_rsvps_on_both_showrooms(north, south):
    from tests.factories import MemberFactory

    member = MemberFactory(email="sam@example.com")
    for showroom in (north, south):
        browser = Client()  # sessions are per host: the member logs in on each
        login = browser.post(
            "/accounts/login/",
            {"login": "sam@example.com", "password": PASSWORD},
            HTTP_HOST=showroom.host,
        )
        assert login.status_code == 302, login.content.decode()[:500]
        rsvp = browser.post(
            f"/events/{showroom.event.pk}/rsvp/", {"answer": "going"}, HTTP_HOST=showroom.host
        )
        assert rsvp.status_code == 302
        assert rsvp["Location"] == "/events/track-night/#rsvp"  # back on this showroom
    assert set(
        Rsvp.objects.filter(member=member, state=Rsvp.State.CONFIRMED).values_list(
            "event_id", flat=True
        )
    ) == {north.event.pk, south.event.pk}


def _confirmation_for(event, member) -> OutboundEmail:
    from events.services import rsvp_respond

    rsvp_respond(event=event, member=member, answer="going")
    # Queued as what to render (the RSVP's lock stays short): rendered as the sender does.
    return outbox_render(OutboundEmail.objects.get(kind="rsvp_confirmed", member=member))


def test_confirmation_for_a_south_event_comes_from_south(member, north, south):
    message = build_message(_confirmation_for(south.event, member))
    assert message.from_email == f"Southbay MINI <{south.sender}>"


def test_confirmation_for_a_south_event_links_to_south(member, north, south):
    body = _confirmation_for(south.event, member).body
    assert "http://south.test/events/track-night/" in body
    assert "north.test" not in body and "Northgate" not in body


def test_confirmation_names_its_own_showroom(member, north, south):
    outbound = _confirmation_for(north.event, member)
    assert "Northgate MINI" in outbound.subject + outbound.body
    assert "Southbay" not in outbound.subject + outbound.body


def test_invitation_for_a_south_event_speaks_for_south(member, staff, north, south):
    from events.invitations import invitations_send

    invitations_send(event=south.event, by=staff, member_ids=[member.pk])
    outbound = OutboundEmail.objects.get(kind="invitation", member=member)
    assert build_message(outbound).from_email == f"Southbay MINI <{south.sender}>"
    assert "http://south.test/rsvp/" in outbound.body
    assert outbound.headers["List-Unsubscribe"].startswith("<http://south.test/unsubscribe/")


def test_club_request_mail_links_to_its_own_showroom(member, north, south):
    from community.models import ClubPage
    from community.services import club_join

    south.club.access = ClubPage.Access.APPROVAL
    south.club.save()
    club_join(club=south.club, member=member)
    outbound = OutboundEmail.objects.get(kind="club_request")
    assert outbound.to == "hello@south.test"  # no organiser yet: the showroom's own address
    assert "http://south.test/clubs/" in outbound.body
    assert build_message(outbound).from_email == f"Southbay MINI <{south.sender}>"


def test_showroom_without_a_sender_signs_the_default_address_with_its_name(
    settings, member, north, south
):
    from email.utils import parseaddr

    from community.models import DealershipSettings

    south_settings = DealershipSettings.for_site(south.site)
    south_settings.from_email = ""
    south_settings.save()
    default_address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    assert build_message(_confirmation_for(south.event, member)).from_email == (
        f"Southbay MINI <{default_address}>"
    )


def test_staff_can_add_a_home_page_for_another_showroom(north, south):
    from wagtail.models import Page

    assert HomePage.can_create_at(Page.objects.get(depth=1))


def test_each_showroom_has_at_most_one_event_and_club_index(north, south):
    assert not EventIndexPage.can_create_at(south.home)
    assert not ClubIndexPage.can_create_at(south.home)
    fresh = _new_home("east-test")
    assert EventIndexPage.can_create_at(fresh) and ClubIndexPage.can_create_at(fresh)


def _new_home(slug):
    from wagtail.models import Page

    return Page.objects.get(depth=1).add_child(instance=HomePage(title=slug, slug=slug))


def test_staff_rsvp_list_filters_to_one_showroom(client, north, south):
    from django.urls import reverse

    from events import services
    from tests.factories import MemberFactory, StaffFactory

    member = MemberFactory()
    services.rsvp_respond(event=north.event, member=member, answer="going", notify=False)
    services.rsvp_respond(event=south.event, member=member, answer="going", notify=False)
    client.force_login(StaffFactory(is_superuser=True))
    html = client.get(
        reverse("event_rsvps:index"), {"showroom": south.site.pk}, HTTP_HOST=south.host
    ).content.decode()
    assert south.event.title in html and north.event.title not in html.split("<tbody")[-1]


def _lead_on_south_accessory(south):
    from accessories.models import AccessoryIndexPage, AccessoryPage
    from accessories.services import lead_create

    shelf = south.home.add_child(instance=AccessoryIndexPage(title="Accessories", slug="shelf"))
    accessory = shelf.add_child(
        instance=AccessoryPage(title="Southbay roof decal", slug="roof-decal", part_number="51 1")
    )
    lead_create(accessory=accessory, name="Ann Owner", email="ann@example.com", consent=True)
    return OutboundEmail.objects.get(kind="accessory_lead_confirmation")


def test_accessory_question_goes_to_the_parts_team_of_the_accessorys_showroom(north, south):
    from community.models import DealershipSettings

    for showroom in (north, south):
        dealership = DealershipSettings.for_site(showroom.site)
        dealership.parts_email = f"parts@{showroom.host}"
        dealership.save()
    _lead_on_south_accessory(south)
    assert OutboundEmail.objects.get(kind="accessory_lead_staff").to == "parts@south.test"


def test_accessory_lead_confirmation_comes_from_the_accessorys_showroom(north, south):
    message = build_message(_lead_on_south_accessory(south))
    assert message.from_email == f"Southbay MINI <{south.sender}>"


def test_accessory_lead_confirmation_links_to_the_accessory_on_its_showroom(north, south):
    body = _lead_on_south_accessory(south).body
    assert "http://south.test/shelf/roof-decal/" in body
    assert "Southbay MINI" in body and "Northgate" not in body
