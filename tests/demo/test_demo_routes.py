"""The demo's Dartmoor drive comes with its route from the Sunday drivers' route library."""

import pytest

pytestmark = pytest.mark.django_db


def test_demo_drive_has_the_dartmoor_route_with_its_stops(seeded_demo):
    from events.models import EventPage

    drive = EventPage.objects.get(slug="dartmoor-breakfast-drive")
    route = drive.drive_route
    assert route.club.slug == "sunday-drivers" and len(route.points) == 265
    assert [s.kind for s in route.stops.all()][0] == "meeting"
    assert route.distance_text == "35 miles (56 km)"
