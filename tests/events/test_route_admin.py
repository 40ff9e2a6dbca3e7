"""The route library in the Wagtail admin (Events > Routes): a GPX upload makes a route, and a
hostile or broken file comes back as an error on the form."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from events.models import Route

pytestmark = pytest.mark.django_db

DARTMOOR = Path(__file__).resolve().parents[2] / "demo" / "data" / "dartmoor-loop.gpx"


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def _post(admin_client, *, gpx: bytes | None, stops=()):
    data = nested_form_data(
        {"name": "Dartmoor loop", "club": "", "description": "", "stops": inline_formset(stops)}
    )
    if gpx is not None:
        data["gpx_file"] = SimpleUploadedFile("route.gpx", gpx, "application/gpx+xml")
    return admin_client.post(reverse("event_routes:add"), data)


def test_route_admin_upload_makes_a_route_with_its_track(admin_client):
    response = _post(admin_client, gpx=DARTMOOR.read_bytes())
    assert response.status_code == 302
    route = Route.objects.get(name="Dartmoor loop")
    assert len(route.points) == 265 and route.distance_m > 50_000


def test_route_admin_shows_unsafe_gpx_as_a_form_error(admin_client):
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<gpx version="1.1"><trk><name>&x;</name></trk></gpx>'
    )
    response = _post(admin_client, gpx=hostile)
    assert response.status_code == 200
    assert "refused for safety" in response.content.decode()
    assert not Route.objects.exists()


def test_route_admin_with_stops_placed_by_hand_needs_no_file(admin_client):
    stops = [
        {
            "kind": "meeting",
            "name": "Quay car park",
            "lat": "50.37",
            "lon": "-4.14",
            "minutes_after_start": "0",
        },
        {
            "kind": "coffee",
            "name": "Moorland café",
            "lat": "50.55",
            "lon": "-3.99",
            "minutes_after_start": "45",
        },
    ]
    response = _post(admin_client, gpx=None, stops=stops)
    assert response.status_code == 302
    route = Route.objects.get()
    assert [s.name for s in route.stops.all()] == ["Quay car park", "Moorland café"]
    assert route.distance_m > 15_000


def test_route_admin_without_file_or_stops_asks_for_one(admin_client):
    response = _post(admin_client, gpx=None)
    assert "GPX file, or place its meeting point and stops below" in response.content.decode()
    assert not Route.objects.exists()


def test_route_admin_edit_screen_shows_the_upload_and_the_stops(admin_client):
    from tests.factories import make_route

    route = make_route()
    response = admin_client.get(reverse("event_routes:edit", args=[route.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="gpx_file"' in html and "Haytor lower car park" in html


def test_event_editor_offers_the_route_library(admin_client):
    from events.models import EventPage
    from tests.factories import make_event, make_route

    route = make_route()
    event = make_event("Dartmoor drive-out", kind=EventPage.Kind.DRIVE)
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[event.pk]))
    assert f'<option value="{route.pk}">Dartmoor loop</option>' in response.content.decode()
