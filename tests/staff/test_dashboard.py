"""The admin home page's panels: what they show, and a fixed number of queries however much
there is to show."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staff.dashboard import PANELS

pytestmark = pytest.mark.django_db


def make_world(n: int, cooper_s) -> None:
    """``n`` upcoming events with confirmed and waitlisted RSVPs, ``n`` new members with an old car,
    ``n`` new accessory leads, ``n`` new sales leads and ``n`` posts waiting for approval."""
    from accessories.models import AccessoryIndexPage, AccessoryPage, Lead
    from community.models import HomePage
    from events.models import Rsvp
    from tests.factories import (
        CarFactory,
        MemberFactory,
        PostFactory,
        SalesLeadFactory,
        make_event,
    )

    rack = AccessoryPage.objects.first()
    if rack is None:
        index = HomePage.objects.get(depth=2).add_child(
            instance=AccessoryIndexPage(title="Accessories", slug="accessories")
        )
        rack = index.add_child(
            instance=AccessoryPage(title="Roof rack", slug="roof-rack", part_number="51-RR")
        )
    first = Rsvp.objects.values("event").distinct().count()
    for i in range(first, first + n):
        member = MemberFactory()
        CarFactory(owner=member, car_model=cooper_s, year=2012)
        event = make_event(f"Meetup {i}", days_ahead=i + 1, capacity=1)
        Rsvp.objects.create(event=event, member=member, answer="going", state="confirmed")
        Rsvp.objects.create(event=event, member=MemberFactory(), answer="going", state="waitlisted")
        Lead.objects.create(accessory=rack, member=member, name="x", email=member.email)
        SalesLeadFactory(member=member)
        PostFactory(author=member, status="pending")


def render_panels(staff) -> str:
    request = RequestFactory().get("/admin/")
    request.user = staff
    return "".join(panel().render_html({"request": request}) for panel in PANELS)


def count_queries(staff) -> int:
    with CaptureQueriesContext(connection) as queries:
        render_panels(staff)
    return len(queries)


def test_dashboard_queries_do_not_grow_with_events_and_members(staff, cooper_s):
    make_world(2, cooper_s)
    few = count_queries(staff)
    make_world(18, cooper_s)
    assert count_queries(staff) == few


def test_dashboard_shows_confirmed_capacity_and_waitlist(staff, cooper_s):
    make_world(1, cooper_s)
    html = render_panels(staff)
    assert "Meetup 0" in html
    assert "<span data-confirmed>1</span> / 1" in html
    assert "<strong>1</strong></td>" in html  # one on the waitlist


def test_dashboard_counts_moderation_leads_new_members_and_old_cars(staff, cooper_s):
    make_world(3, cooper_s)
    html = render_panels(staff)
    assert "<strong>3</strong> posts waiting for approval" in html
    assert "<strong data-count>6</strong> leads nobody has handled yet" in html
    assert "<strong data-count>6</strong> joined in the last seven days" in html
    assert "<strong data-count>3</strong> members drive a car from" in html


def test_admin_home_shows_the_panels_to_staff(client, staff):
    client.force_login(staff)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    for heading in ["Upcoming events", "Moderation waiting", "New leads"]:
        assert heading in html
    assert "New members this week" in html and "Cars over four years old" in html


def test_dashboard_counts_todays_leads_by_kind(staff, cooper_s):
    from datetime import timedelta

    from django.utils import timezone

    from accessories.models import Lead

    make_world(1, cooper_s)  # one question and one next-car enquiry today
    rack = Lead.objects.first().accessory
    Lead.objects.create(accessory=rack, name="y", email="y@example.com", kind=Lead.Kind.RESERVE)
    Lead.objects.create(accessory=rack, name="z", email="z@example.com", kind=Lead.Kind.RESERVE)
    old = Lead.objects.create(accessory=rack, name="w", email="w@example.com")
    Lead.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    html = render_panels(staff)
    assert "Today: <strong>1</strong> question · <strong>2</strong> reservations · " in html
    assert "<strong>1</strong> next-car enquiry" in html


def test_dashboard_counts_todays_sales_leads_by_kind(staff):
    from tests.factories import SalesLeadFactory

    SalesLeadFactory(kind="trade_in")
    SalesLeadFactory(kind="trade_in")
    SalesLeadFactory(kind="test_drive")
    SalesLeadFactory(kind="staff")
    html = render_panels(staff)
    assert (
        "Today: <strong>0</strong> questions · <strong>0</strong> reservations · "
        "<strong>2</strong> trade-in appraisals · <strong>0</strong> next-car enquiries · "
        "<strong>1</strong> test drive · <strong>1</strong> lead written by staff</p>"
    ) in html


def test_dashboard_new_leads_lists_sales_leads_with_a_link_to_each(staff):
    from tests.factories import SalesLeadFactory

    lead = SalesLeadFactory(kind="trade_in", year=2019, make="MINI", model="Cooper S")
    html = render_panels(staff)
    assert "<strong data-count>1</strong> lead nobody has handled yet" in html
    assert f'href="{reverse("sales_leads:edit", args=[lead.pk])}">What is my 2019 MINI' in html
    assert "<td>Trade-in appraisal</td>" in html
