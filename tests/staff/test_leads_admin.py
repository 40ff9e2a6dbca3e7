"""The Leads menu's "All leads" listing: every lead of both models, newest first, filtered by
kind, status and who has it, each row linking to the lead's own edit screen."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import LeadFactory, SalesLeadFactory, StaffFactory

pytestmark = pytest.mark.django_db


def listing(client, staff, **params):
    client.force_login(staff)
    response = client.get(reverse("all_leads:index"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_all_leads_lists_accessory_and_sales_leads_newest_first(client, staff):
    question = LeadFactory(name="Alex Asker")
    trade_in = SalesLeadFactory(
        kind="trade_in", name="Tess Trader", year=2019, make="MINI", model="Cooper S"
    )
    type(question).objects.filter(pk=question.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    html = listing(client, staff)
    assert html.index("Tess Trader") < html.index("Alex Asker")
    assert reverse("accessory_leads:edit", args=[question.pk]) in html
    assert reverse("sales_leads:edit", args=[trade_in.pk]) in html
    assert "What is my 2019 MINI Cooper S worth?" in html
    assert question.accessory.title in html


@pytest.mark.parametrize(
    "kind, label",
    [
        ("ask", "Question"),
        ("reserve", "Reservation for pick-up"),
        ("trade_in", "Trade-in appraisal"),
        ("next_car", "Next car"),
        ("test_drive", "Test drive"),
        ("staff", "Written by staff"),
    ],
)
def test_all_leads_kind_filter_shows_only_that_kind(client, staff, kind, label):
    LeadFactory(name="Alex Asker", kind="ask")
    LeadFactory(name="Rae Reserver", kind="reserve")
    for sales_kind in ["trade_in", "next_car", "test_drive", "staff"]:
        SalesLeadFactory(kind=sales_kind, name=f"Sales {sales_kind}")
    html = listing(client, staff, kind=kind)
    names = ["Alex Asker", "Rae Reserver"] + [
        f"Sales {k}" for k in ["trade_in", "next_car", "test_drive", "staff"]
    ]
    shown = [name for name in names if name in html]
    assert len(shown) == 1
    assert re.search(rf"<td[^>]*>\s*{re.escape(label)}\s*</td>", html)


def test_all_leads_status_filter_reads_both_models(client, staff):
    LeadFactory(name="Won Accessory", status="won")
    SalesLeadFactory(name="Won Sale", status="won")
    SalesLeadFactory(name="New Sale")
    html = listing(client, staff, status="won")
    assert "Won Accessory" in html and "Won Sale" in html
    assert "New Sale" not in html


def test_all_leads_assignee_filter_reads_both_models(client, staff):
    sam = StaffFactory(display_name="Sam Seller")
    LeadFactory(name="Sam's Accessory", assigned_to=sam)
    SalesLeadFactory(name="Sam's Sale", assigned_to=sam)
    SalesLeadFactory(name="Someone Else's", assigned_to=staff)
    html = listing(client, staff, assigned_to=sam.pk)
    assert "Sam&#x27;s Accessory" in html and "Sam&#x27;s Sale" in html
    assert "Someone Else" not in html


def test_all_leads_assignee_filter_nobody_yet(client, staff):
    SalesLeadFactory(name="Unassigned Sale")
    SalesLeadFactory(name="Taken Sale", assigned_to=staff)
    html = listing(client, staff, assigned_to="null")
    assert "Unassigned Sale" in html
    assert "Taken Sale" not in html


def test_all_leads_pages_fifty_a_page(client, staff):
    for i in range(30):
        LeadFactory(name=f"Asker {i}")
        SalesLeadFactory(name=f"Seller {i}")
    client.force_login(staff)
    first = client.get(reverse("all_leads:index")).context
    second = client.get(reverse("all_leads:index"), {"p": 2}).context
    assert first["paginator"].count == 60
    assert len(first["object_list"]) == 50 and len(second["object_list"]) == 10


def test_all_leads_page_queries_do_not_grow_with_leads(client, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    LeadFactory()
    SalesLeadFactory()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("all_leads:index"))
    for _ in range(10):
        LeadFactory(assigned_to=staff)
        SalesLeadFactory(assigned_to=staff)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("all_leads:index"))
    assert len(many) == len(few)


def test_all_leads_is_for_staff_only(client, member):
    client.force_login(member)
    response = client.get(reverse("all_leads:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
