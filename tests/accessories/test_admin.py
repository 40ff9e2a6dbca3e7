"""Leads in the Wagtail admin: the list, its filters, following a lead up, and the CSV export."""

import csv
import io

import pytest
from django.urls import reverse

from accessories.models import Lead
from tests.factories import LeadFactory, MemberFactory, StaffFactory, make_accessory, make_event

pytestmark = pytest.mark.django_db

INDEX = "accessory_leads:index"


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


def test_leads_are_listed_for_staff_under_leads(admin_client):
    LeadFactory(name="Jordan Ellis", accessory=make_accessory("Roof box"))
    response = admin_client.get(reverse(INDEX))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Jordan Ellis" in html and "Roof box" in html
    menu = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Accessory leads" in menu and reverse(INDEX) in menu


def test_members_who_are_not_staff_cannot_open_the_leads(client, member):
    client.force_login(member)
    response = client.get(reverse(INDEX))
    assert response.status_code in (302, 403)


def test_leads_filter_by_status(admin_client):
    LeadFactory(name="Still new")
    LeadFactory(name="Called back", status=Lead.Status.CONTACTED)
    html = admin_client.get(reverse(INDEX), {"status": "contacted"}).content.decode()
    assert "Called back" in html and "Still new" not in html


def test_leads_filter_by_kind_accessory_event_and_assignee(admin_client, staff):
    event = make_event()
    roof_box, spoiler = make_accessory("Roof box"), make_accessory("Spoiler")
    LeadFactory(name="Reserver", kind="reserve", event=event, accessory=roof_box)
    LeadFactory(name="Asker", accessory=spoiler, assigned_to=staff)
    assert "Reserver" in admin_client.get(reverse(INDEX), {"kind": "reserve"}).content.decode()
    assert "Asker" not in admin_client.get(reverse(INDEX), {"kind": "reserve"}).content.decode()
    by_event = admin_client.get(reverse(INDEX), {"event": event.pk}).content.decode()
    assert "Reserver" in by_event and "Asker" not in by_event
    by_accessory = admin_client.get(reverse(INDEX), {"accessory": spoiler.pk}).content.decode()
    assert "Asker" in by_accessory and "Reserver" not in by_accessory
    mine = admin_client.get(reverse(INDEX), {"assigned_to": staff.pk}).content.decode()
    assert "Asker" in mine and "Reserver" not in mine


def test_staff_mark_a_lead_contacted_assign_it_and_add_notes(admin_client, staff):
    lead = LeadFactory()
    colleague = StaffFactory(display_name="Parts Pat")
    response = admin_client.post(
        reverse("accessory_leads:edit", args=[lead.pk]),
        {
            "accessory": lead.accessory_id,
            "kind": "ask",
            "name": lead.name,
            "email": lead.email,
            "phone": "",
            "message": lead.message,
            "status": "contacted",
            "assigned_to": colleague.pk,
            "event": "",
            "notes": "Called, sending a quote.",
        },
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.status, lead.assigned_to, lead.notes) == (
        "contacted",
        colleague,
        "Called, sending a quote.",
    )


def test_only_staff_can_be_assigned(admin_client):
    lead = LeadFactory()
    outsider = MemberFactory()
    response = admin_client.post(
        reverse("accessory_leads:edit", args=[lead.pk]),
        {
            "accessory": lead.accessory_id,
            "kind": "ask",
            "name": lead.name,
            "email": lead.email,
            "message": lead.message,
            "status": "new",
            "assigned_to": outsider.pk,
        },
    )
    assert response.status_code == 200  # the form again, with the error
    lead.refresh_from_db()
    assert lead.assigned_to is None


def test_staff_tie_a_reservation_to_an_event(admin_client):
    lead = LeadFactory(kind="reserve")
    event = make_event()
    admin_client.post(
        reverse("accessory_leads:edit", args=[lead.pk]),
        {
            "accessory": lead.accessory_id,
            "kind": "reserve",
            "name": lead.name,
            "email": lead.email,
            "message": lead.message,
            "status": "new",
            "event": event.pk,
        },
    )
    lead.refresh_from_db()
    assert lead.event == event


def test_csv_export_has_one_row_per_lead_with_headings(admin_client):
    LeadFactory(name="Jordan Ellis", phone="+44 7700 900461", accessory=make_accessory("Roof box"))
    response = admin_client.get(reverse(INDEX), {"export": "csv"})
    rows = csv_rows(response)
    assert response["Content-Disposition"].startswith('attachment; filename="accessory-leads')
    assert rows[0][:6] == ["Received", "Kind", "Status", "Accessory", "Part number", "Name"]
    assert rows[1][3] == "Roof box" and rows[1][5] == "Jordan Ellis"
    assert "+44 7700 900461" in rows[1]  # a phone number stays a phone number


def test_csv_export_never_starts_a_cell_with_a_formula(admin_client):
    LeadFactory(name='=HYPERLINK("http://evil.example")', message="@SUM(1+1)")
    rows = csv_rows(admin_client.get(reverse(INDEX), {"export": "csv"}))
    assert '\'=HYPERLINK("http://evil.example")' in rows[1]
    assert "'@SUM(1+1)" in rows[1]


def test_csv_export_respects_the_filters(admin_client):
    LeadFactory(name="Still new")
    LeadFactory(name="Won it", status=Lead.Status.WON)
    rows = csv_rows(admin_client.get(reverse(INDEX), {"export": "csv", "status": "won"}))
    assert [row[5] for row in rows[1:]] == ["Won it"]
