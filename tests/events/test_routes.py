"""Drives' routes on the event page, as a GPX download, and in members' mail."""

from datetime import timedelta
from pathlib import Path

import gpxpy
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import EventPage
from tests.factories import DARTMOOR_GPX, make_event, make_route

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _drive(**fields):
    return make_event(
        "Dartmoor drive-out", kind=EventPage.Kind.DRIVE, drive_route=make_route(), **fields
    )


def test_route_upload_then_download_keeps_every_point(client):
    event = _drive()
    response = client.get(reverse("events:route_gpx", args=[event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/gpx+xml")
    downloaded = gpxpy.parse(response.content.decode())
    original = gpxpy.parse((ROOT / DARTMOOR_GPX).read_text())
    points = [(p.latitude, p.longitude) for p in downloaded.tracks[0].segments[0].points]
    assert points == [(p.latitude, p.longitude) for p in original.tracks[0].segments[0].points]


def test_route_download_carries_the_stops_as_waypoints(client):
    event = _drive()
    response = client.get(reverse("events:route_gpx", args=[event.pk]))
    names = [w.name for w in gpxpy.parse(response.content.decode()).waypoints]
    assert names[:3] == [
        "Haytor lower car park",
        "Café on the Green, Widecombe",
        "Two Bridges car park",
    ]


def test_route_download_of_event_without_route_is_not_found(client):
    event = make_event("Quay meet")
    assert client.get(reverse("events:route_gpx", args=[event.pk])).status_code == 404


def test_drive_page_lists_numbered_stops_with_times_and_distance(client):
    event = _drive()
    html = client.get(event.url).content.decode()
    lunch = timezone.localtime(event.start) + timedelta(minutes=140)
    assert "35 miles (56 km)" in html
    assert f'{lunch:%H:%M}</time> <span class="route-stop__kind">Lunch:</span>' in html
    assert html.index("Haytor lower car park") < html.index("Two Bridges car park")
    assert 'class="route-stop route-stop--lunch"' in html
    assert "Download GPX" in html


def test_drive_page_links_the_meeting_point_to_apple_and_google_maps(client):
    html = client.get(_drive().url).content.decode()
    assert "https://maps.apple.com/?q=Haytor+lower+car+park&amp;ll=50.581200%2C-3.744700" in html
    assert "https://www.google.com/maps/search/?api=1&amp;query=50.581200%2C-3.744700" in html


def test_route_placed_by_hand_measures_stop_to_stop(client):
    route = make_route("Coffee run", gpx_path=None)
    assert route.points == [] and 30_000 < route.distance_m < 60_000
    assert route.duration_s and route.duration_text.startswith("about")


def test_confirmation_mail_lists_the_meeting_point_and_stops(
    member, django_capture_on_commit_callbacks
):
    event = _drive()
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_respond(event=event, member=member, answer="going")
    [message] = mail.outbox
    assert "Route: Dartmoor loop, 35 miles (56 km), about " in message.body
    assert "1. " in message.body and "Meeting point: Haytor lower car park" in message.body
    assert "4. " in message.body and "Lunch: Dartmeet tea rooms" in message.body


def test_drive_with_another_clubs_route_is_refused():
    from django.core.exceptions import ValidationError

    from tests.factories import make_club

    route = make_route(club=make_club("Sunday drivers"))
    event = make_event("Quay meet", kind=EventPage.Kind.DRIVE)
    event.drive_route = route
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "the route library of Sunday drivers" in str(excinfo.value.message_dict["drive_route"])
