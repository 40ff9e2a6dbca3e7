"""GPX uploads for drives' routes: hostile files are refused with a clear, coded error within
2 seconds; a real route round-trips (upload -> download) and measures what gpxpy measures."""

import time
from io import BytesIO
from pathlib import Path

import gpxpy
import pytest

from events.gpx import RouteError, gpx_read

GPX_OPEN = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1" creator="test">'
)
DARTMOOR = Path(__file__).resolve().parents[2] / "demo" / "data" / "dartmoor-loop.gpx"


def _refused(data: bytes) -> tuple[RouteError, float]:
    started = time.monotonic()
    with pytest.raises(RouteError) as excinfo:
        gpx_read(BytesIO(data))
    return excinfo.value, time.monotonic() - started


def test_gpx_with_external_entity_is_refused_as_unsafe():
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        + GPX_OPEN[GPX_OPEN.index(b"<gpx") :]
        + b"<trk><name>&xxe;</name><trkseg>"
        + b'<trkpt lat="50.1" lon="-4.1"/><trkpt lat="50.2" lon="-4.2"/>'
        + b"</trkseg></trk></gpx>"
    )
    error, elapsed = _refused(data)
    assert error.code == "unsafe_xml" and "refused for safety" in error.message
    assert elapsed < 2


def test_gpx_billion_laughs_is_refused_as_unsafe():
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%d;" % (i - 1) for _ in range(10)))
        for i in range(1, 10)
    )
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE gpx [' + entities + b"]>\n"
        b'<gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1">'
        b"<trk><name>&lol9;</name></trk></gpx>"
    )
    error, elapsed = _refused(data)
    assert error.code == "unsafe_xml"
    assert elapsed < 2


def test_gpx_of_50_mb_is_refused_as_too_large():
    padding = b"<!-- " + b"x" * (50 * 1024 * 1024) + b" -->"
    data = GPX_OPEN + padding + b"</gpx>"
    error, elapsed = _refused(data)
    assert error.code == "too_large" and "larger than 5 MB" in error.message
    assert elapsed < 2


def test_gpx_with_a_million_points_is_refused_as_too_many_points():
    data = (
        GPX_OPEN
        + b"<trk><trkseg>"
        + b'<trkpt lat="50.5" lon="-4.1"/>' * 1_000_000
        + b"</trkseg></trk></gpx>"
    )
    error, elapsed = _refused(data)
    assert error.code == "too_many_points" and "more than 50,000 points" in error.message
    assert elapsed < 2


def test_file_that_is_not_xml_is_refused_as_not_xml():
    error, elapsed = _refused(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    assert error.code == "not_xml" and "not a GPX file" in error.message
    assert elapsed < 2


def test_xml_that_is_not_gpx_is_refused_as_not_gpx():
    error, _ = _refused(b'<?xml version="1.0"?><kml><Document/></kml>')
    assert error.code == "not_gpx"


def test_gpx_without_a_track_is_refused_as_having_no_points():
    error, _ = _refused(GPX_OPEN + b"<metadata><name>Empty</name></metadata></gpx>")
    assert error.code == "no_points"


def test_real_route_distance_is_within_one_percent_of_gpxpy():
    track = gpx_read(DARTMOOR.read_bytes())
    expected = gpxpy.parse(DARTMOOR.read_text()).length_2d()
    assert abs(track.distance_m - expected) / expected < 0.01


def test_real_route_driving_time_comes_from_its_timestamps():
    track = gpx_read(DARTMOOR.read_bytes())
    assert track.duration_s == round(gpxpy.parse(DARTMOOR.read_text()).get_duration())
