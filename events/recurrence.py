"""When a series' dates fall: its RRULE (``EventSeries.rrule``) expanded by dateutil from the
first date's wall-clock time in the dealership's time zone, so 09:00 stays 09:00 across the
clock changes. The one home of that rule, for publishing the dates and checking calendars."""

from datetime import datetime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.conf import settings
from django.utils import timezone


def series_starts(series) -> list[datetime]:
    """Every start the series' rule gives (aware, in the dealership's zone), in order."""
    tz = ZoneInfo(settings.TIME_ZONE)
    first = timezone.localtime(series.first_start, tz).replace(tzinfo=None)
    rule = rrulestr(f"RRULE:{series.rrule}", dtstart=first)
    return [moment.replace(tzinfo=tz) for moment in rule]
