"""A drive's route as GPX: staff's uploads read safely, and the route written back out.

An upload is read in steps, each with a coded error staff see on the form (``RouteError``):

1. streamed in chunks, never more than ``PADDOCK_GPX_MAX_BYTES`` (``too_large``), counting track
   and route points as it goes (``too_many_points`` past ``PADDOCK_GPX_MAX_POINTS``), so a
   50 MB file or a million points is refused before any XML is built;
2. parsed with defusedxml, which refuses any DTD: no external entities (XXE), no entity expansion
   (billion laughs) (``unsafe_xml``); a file that is not XML is ``not_xml``;
3. only then handed to gpxpy (``not_gpx`` when it is XML but not GPX, ``no_points`` when empty).

The track is kept as a list of ``[lat, lon]`` rounded to 6 decimals (about 10 cm); its length is
gpxpy's (``length_2d``), so what the event page says is what gpxpy measures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO

import gpxpy
import gpxpy.gpx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.conf import settings

CHUNK_BYTES = 1 << 20
# Any point element, prefixed or not: <trkpt, <gpx:rtept...
_POINT_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:trkpt|rtept)[\s/>]")


class RouteError(Exception):
    """A route or GPX file that can't be used; ``code`` says why, the message tells staff."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Track:
    """What a GPX file gives a route: its name, points and waypoints, and measured length."""

    name: str = ""
    points: list[list[float]] = field(default_factory=list)
    waypoints: list[dict] = field(default_factory=list)
    distance_m: int = 0
    duration_s: int | None = None  # from the file's timestamps, when it has them


def _limits() -> tuple[int, int]:
    return settings.PADDOCK_GPX_MAX_BYTES, settings.PADDOCK_GPX_MAX_POINTS


def _read_bounded(upload) -> bytes:
    max_bytes, max_points = _limits()
    if hasattr(upload, "seek"):
        upload.seek(0)
    chunks: list[bytes] = []
    size = 0
    points = 0
    tail = b""
    while True:
        chunk = upload.read(CHUNK_BYTES)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise RouteError(
                f"This file is larger than {max_bytes // (1 << 20)} MB: a drive's GPX file is "
                "far smaller. Export the route alone, without photos or extras.",
                code="too_large",
            )
        window = tail + chunk
        points += len(_POINT_TAG.findall(window)) - len(_POINT_TAG.findall(tail))
        if points > max_points:
            raise RouteError(
                f"This file has more than {max_points:,} points. Simplify the route in your "
                "route planner (or export it as a route rather than a recorded track).",
                code="too_many_points",
            )
        tail = window[-64:]
        chunks.append(chunk)
    return b"".join(chunks)


def gpx_read(upload) -> Track:
    """A GPX upload (a file object or bytes) read within the limits, or a ``RouteError``."""
    if isinstance(upload, bytes | bytearray):
        upload = BytesIO(upload)
    data = _read_bounded(upload)
    if not data.strip():
        raise RouteError("This file is empty.", code="not_xml")
    try:
        root = safe_fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise RouteError(
            "This file declares a DTD or entities, which GPX files never need, so it was refused "
            "for safety. Export the route again from your route planner.",
            code="unsafe_xml",
        ) from None
    except (ParseError, ValueError):
        raise RouteError(
            "This is not a GPX file (it isn't XML). Choose the .gpx file your route planner "
            "exported.",
            code="not_xml",
        ) from None
    if root.tag.rsplit("}", 1)[-1] != "gpx":
        raise RouteError(
            "This XML file is not a GPX route. Choose the .gpx file your route planner exported.",
            code="not_gpx",
        )
    try:
        parsed = gpxpy.parse(data.decode("utf-8", errors="replace"))
    except (gpxpy.gpx.GPXException, ValueError) as exc:
        raise RouteError(
            f"This XML file is not a GPX route ({exc}).".replace("..", "."), code="not_gpx"
        ) from None
    return _track_of(parsed)


def _track_of(parsed: gpxpy.gpx.GPX) -> Track:
    _, max_points = _limits()
    points: list[list[float]] = []
    for track in parsed.tracks:
        for segment in track.segments:
            points.extend([round(p.latitude, 6), round(p.longitude, 6)] for p in segment.points)
    if not points:
        for route in parsed.routes:
            points.extend([round(p.latitude, 6), round(p.longitude, 6)] for p in route.points)
    if len(points) > max_points:
        raise RouteError(f"This file has more than {max_points:,} points.", code="too_many_points")
    if len(points) < 2:
        raise RouteError("This GPX file has no track or route to draw.", code="no_points")
    name = next((t.name for t in parsed.tracks if t.name), None) or next(
        (r.name for r in parsed.routes if r.name), ""
    )
    waypoints = [
        {"name": w.name or "", "lat": round(w.latitude, 6), "lon": round(w.longitude, 6)}
        for w in parsed.waypoints
    ]
    duration = parsed.get_duration() if parsed.tracks else None
    return Track(
        name=name or parsed.name or "",
        points=points,
        waypoints=waypoints,
        distance_m=round(track_length_m(points)),
        duration_s=round(duration) if duration else None,
    )


def track_length_m(points: list[list[float]]) -> float:
    """The length of a track on the ground, in metres, as gpxpy measures it (``length_2d``)."""
    if len(points) < 2:
        return 0.0
    segment = gpxpy.gpx.GPXTrackSegment([gpxpy.gpx.GPXTrackPoint(lat, lon) for lat, lon in points])
    return segment.length_2d()


def driving_seconds(distance_m: float) -> int:
    """Driving time at the drive's average speed (``PADDOCK_DRIVE_AVERAGE_KMH``)."""
    kmh = settings.PADDOCK_DRIVE_AVERAGE_KMH
    return round(distance_m / 1000 / kmh * 3600) if kmh else 0


def gpx_write(*, name: str, points: list[list[float]], stops=()) -> str:
    """A GPX 1.1 document of a route: its track, and its stops as waypoints."""
    gpx = gpxpy.gpx.GPX()
    gpx.creator = "Paddock"
    gpx.name = name
    for stop in stops:
        gpx.waypoints.append(
            gpxpy.gpx.GPXWaypoint(stop.lat, stop.lon, name=stop.name, type=stop.get_kind_display())
        )
    if points:
        track = gpxpy.gpx.GPXTrack(name=name)
        segment = gpxpy.gpx.GPXTrackSegment(
            [gpxpy.gpx.GPXTrackPoint(lat, lon) for lat, lon in points]
        )
        track.segments.append(segment)
        gpx.tracks.append(track)
    return gpx.to_xml(version="1.1")


def kilometres_to_miles(km: float) -> float:
    return km / 1.609344
