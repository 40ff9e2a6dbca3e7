"""The staff reports: CSV downloads a spreadsheet opens, with figures checked against the demo
dealership (``seed_demo``, seeded once for the module by ``seeded_demo`` in tests/conftest.py), an
XLSX download, and a chart on each screen."""

import csv
import io
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_staff(seeded_demo, client):
    from community.models import Member

    staff = Member.objects.get(email="staff@paddock.localhost")
    client.force_login(staff)
    return staff


def download(client, name: str, fmt: str = "csv"):
    response = client.get(reverse(f"staff:{name}") + f"?export={fmt}")
    assert response.status_code == 200
    return response


def csv_rows(client, name: str) -> list[dict]:
    response = download(client, name)
    assert response["Content-Type"].startswith("text/csv")
    assert f"-{timezone.localdate():%Y-%m-%d}.csv" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def by(rows: list[dict], key: str) -> dict[str, dict]:
    return {row[key]: row for row in rows}


def test_attendance_csv_has_each_demo_events_figures(client, demo_staff):
    rows = by(csv_rows(client, "report_attendance"), "Event")
    assert len(rows) == 7  # the demo's six events and the Thursday Night Meet series
    coast = rows["South Hams Coast Run"]  # the past drive: 17 confirmed, 16 checked in
    assert (coast["Capacity"], coast["Going (confirmed)"], coast["Places taken"]) == (
        "25",
        "17",
        "25",
    )
    assert (coast["Checked in"], coast["No-shows"], coast["No-show rate"]) == ("16", "1", "6%")
    dartmoor = rows["Dartmoor Breakfast Drive"]  # 10 places: full, with a waitlist
    assert (dartmoor["Going (confirmed)"], dartmoor["Places taken"], dartmoor["Waitlist"]) == (
        "7",
        "10",
        "2",
    )
    assert dartmoor["Checked in"] == "" and dartmoor["No-show rate"] == ""  # still to come
    assert rows["Castle Combe Track Day"]["Capacity"] == "28"  # its run groups' places


def test_attendance_csv_has_a_row_per_date_of_a_series(client, demo_staff):
    from events.models import EventPage

    rows = [r for r in csv_rows(client, "report_attendance") if r["Event"] == "Thursday Night Meet"]
    dates = EventPage.objects.filter(series__title="Thursday Night Meet")
    assert len(rows) >= 1 and len({r["Date"] for r in rows}) == len(rows)
    assert {r["Date"] for r in rows} <= {f"{d.start:%Y-%m-%d}" for d in dates}
    assert {r["Capacity"] for r in rows} == {"30"}


def test_member_growth_csv_matches_the_demo_members_join_dates(client, demo_staff):
    from demo.steps.community import MEMBERS

    rows = csv_rows(client, "report_growth")
    expected = Counter(f"{person.joined:%Y-%m}" for person in MEMBERS)
    got = {row["Month"]: int(row["New members"]) for row in rows}
    assert {month: n for month, n in got.items() if n} == dict(expected)
    assert rows[0]["Month"] == min(expected)
    assert rows[-1]["Month"] == f"{timezone.localdate():%Y-%m}"
    assert int(rows[-1]["Members in all"]) == len(MEMBERS)


def test_club_activity_csv_counts_members_requests_and_posts(client, demo_staff):
    rows = by(csv_rows(client, "report_clubs"), "Club")
    assert list(rows)[0] == "Sunday Drivers"  # the biggest club first
    sunday = rows["Sunday Drivers"]
    assert (sunday["Members"], sunday["Posts"], sunday["Comments"], sunday["Events coming"]) == (
        "10",
        "4",
        "12",
        "1",
    )
    classic = rows["Classic Mini Register"]
    assert (classic["Access"], classic["Members"], classic["Requests waiting"]) == (
        "Approval",
        "4",
        "3",
    )


def test_invitation_email_csv_tells_link_reply_and_failures_apart(
    client, demo_staff, django_capture_on_commit_callbacks
):
    from community.models import Member, OutboundEmail
    from events import invitations, services
    from events.models import EventPage, InboundMessage, Invitation, Rsvp

    event = EventPage.objects.get(slug="service-clinic")
    answered = set(Rsvp.objects.filter(event=event).values_list("member_id", flat=True))
    invitees = list(
        Member.objects.filter(is_staff=False, email_invitations=True, mobile__isnull=True)
        .exclude(pk__in=answered)
        .order_by("pk")[:6]
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitations_send(
            event=event, by=demo_staff, member_ids=[m.pk for m in invitees]
        )
    failed = Invitation.objects.get(event=event, member=invitees[0]).message
    OutboundEmail.objects.filter(pk=failed.pk).update(status=OutboundEmail.Status.FAILED)
    services.rsvp_respond(  # two answered with the link in the email
        event=event, member=invitees[1], answer="going", source="email", notify=False
    )
    services.rsvp_respond(
        event=event, member=invitees[2], answer="not_going", source="email", notify=False
    )
    replied = services.rsvp_respond(  # one replied to the email
        event=event, member=invitees[3], answer="maybe", source="email", notify=False
    )
    InboundMessage.objects.create(
        message_id="<reply-1@example.com>", via="gateway", outcome="applied", rsvp=replied
    )
    services.rsvp_respond(event=event, member=invitees[4], answer="going", notify=False)

    rows = csv_rows(client, "report_invitations")
    assert [row["Event"] for row in rows] == ["Service Clinic"]
    row = rows[0]
    assert {k: row[k] for k in ["Invited", "Emails sent", "Emails failed", "Emails queued"]} == {
        "Invited": "6",
        "Emails sent": "5",
        "Emails failed": "1",
        "Emails queued": "0",
    }
    assert (row["Answered by link"], row["Answered by reply"], row["Answered on the site"]) == (
        "2",
        "1",
        "1",
    )
    assert (row["Not answered"], row["Answer rate"]) == ("2", "80%")


def test_leads_csv_counts_each_accessorys_leads_by_outcome(client, demo_staff):
    from accessories.models import AccessoryIndexPage, AccessoryPage, Lead
    from community.models import HomePage

    index = AccessoryIndexPage.objects.first() or HomePage.objects.get(depth=2).add_child(
        instance=AccessoryIndexPage(title="Accessories", slug="accessories-test")
    )
    rack = index.add_child(
        instance=AccessoryPage(title="Roof rack", slug="roof-rack-t", part_number="51-RR")
    )
    mats = index.add_child(
        instance=AccessoryPage(title="Floor mats", slug="mats-t", part_number="51-FM")
    )
    for status, kind in [("won", "reserve"), ("lost", "ask"), ("new", "ask"), ("won", "ask")]:
        Lead.objects.create(
            accessory=rack, name="x", email="x@example.com", status=status, kind=kind
        )
    Lead.objects.create(accessory=mats, name="y", email="y@example.com", status="contacted")
    rows = by(csv_rows(client, "report_leads"), "Accessory")
    rack_row = rows["Roof rack"]
    assert {
        k: rack_row[k] for k in ["Leads", "Questions", "Reservations", "Won", "Lost", "New"]
    } == {
        "Leads": "4",
        "Questions": "3",
        "Reservations": "1",
        "Won": "2",
        "Lost": "1",
        "New": "1",
    }
    assert rack_row["Won of closed"] == "67%"
    assert rows["Floor mats"]["Contacted"] == "1" and rows["Floor mats"]["Won of closed"] == ""


def test_attendance_xlsx_opens_with_the_same_figures(client, demo_staff):
    from openpyxl import load_workbook

    response = download(client, "report_attendance", "xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    header = values[0]
    coast = next(v for v in values if v[0] == "South Hams Coast Run")
    assert coast[header.index("Checked in")] == 16
    assert coast[header.index("No-show rate")] == "6%"


@pytest.mark.parametrize(
    "name,heading",
    [
        ("report_attendance", "Members per event: who came, who did not, who is coming"),
        ("report_growth", "Members at the end of each month"),
        ("report_clubs", "Members and posts per club"),
    ],
)
def test_report_screen_draws_an_inline_svg_chart(client, demo_staff, name, heading):
    html = client.get(reverse(f"staff:{name}")).content.decode()
    assert '<svg class="crm-chart"' in html and f"<title>{heading}</title>" in html
    assert "<script" not in html.split('<svg class="crm-chart"')[1].split("</svg>")[0]


def test_reports_are_in_the_reports_menu(client, demo_staff):
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    for name in ["report_attendance", "report_growth", "report_clubs", "report_leads"]:
        assert reverse(f"staff:{name}") in html


def test_reports_refuse_members_who_are_not_staff(client, member):
    client.force_login(member)
    assert client.get(reverse("staff:report_growth") + "?export=csv").status_code in (302, 403)


def test_chart_labels_are_escaped():
    from staff.charts import Series, hbar_chart

    svg = hbar_chart(title="t", labels=["<script>alert(1)</script>"], series=[Series("a", [1])])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
