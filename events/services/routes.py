"""Writes for drives' routes: a route saved from the admin, with or without a new GPX file."""

from __future__ import annotations

from django.db import transaction

from events.gpx import Track
from events.models import Route


@transaction.atomic
def route_save(*, route: Route, track: Track | None = None) -> Route:
    """Save ``route`` and its stops; a new ``track`` (from ``events.gpx.gpx_read``) replaces the
    route's points. Distance and driving time are measured again on every save."""
    if track is not None:
        route.points = track.points
        if not route.name:
            route.name = track.name or "Route"
        route.measure(duration_s=track.duration_s)
    else:
        route.measure()
    route.save()  # a ClusterableModel: its stops are written with it
    return route
