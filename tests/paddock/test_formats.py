"""Times read on the 24-hour clock everywhere, dates the British way."""

from datetime import datetime, time

from django.template import Context, Template
from django.utils import formats


def test_time_without_a_format_uses_the_24_hour_clock():
    assert Template("{{ t|time }}").render(Context({"t": time(18, 30)})) == "18:30"


def test_datetime_without_a_format_uses_the_24_hour_clock():
    assert formats.date_format(datetime(2026, 12, 10, 9, 5), "DATETIME_FORMAT") == (
        "10 December 2026, 09:05"
    )


def test_short_datetime_uses_the_24_hour_clock():
    assert formats.date_format(datetime(2026, 12, 10, 21, 5), "SHORT_DATETIME_FORMAT") == (
        "10/12/2026 21:05"
    )
