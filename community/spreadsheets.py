"""What every spreadsheet staff download holds: text that stays text, times in local time.

Members and visitors type names, messages and car details that end up in the CSV and XLSX files
staff open in Excel, Numbers or Google Sheets. A cell starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is run by those programs as a formula (``=HYPERLINK(...)`` that leaks the
sheet, ``=cmd|...`` on old Excel), so :func:`formula_safe` prefixes such text with an apostrophe,
the mark spreadsheets themselves use for "this is text". Phone numbers such as ``+44 7700 900123``
are left as they are.

This module is the one home of that rule. Wagtail's spreadsheet exports (every admin listing with
``list_export``, the staff reports, form submissions) pass each cell through
:func:`guard_wagtail_exports`, installed once from ``CommunityConfig.ready()``; our own CSV views
(check-in attendee lists) call :func:`formula_safe` per cell.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"\+?[\d\s()-]+")


def formula_safe(value):
    """``value`` as a spreadsheet cell that is never run as a formula (non-text is returned as is)."""
    if not isinstance(value, str):
        return value
    if value[:1] in FORMULA_START and not _PHONE.fullmatch(value):
        return f"'{value}"
    return value


def local_text(value: datetime) -> str:
    """A moment as staff read it in a CSV cell: the dealership's local time, 24-hour."""
    return date_format(timezone.localtime(value, ZoneInfo(settings.TIME_ZONE)), "Y-m-d H:i")


def local_naive(value: datetime) -> datetime:
    """A moment for an XLSX cell (which holds no time zone): the dealership's local time."""
    return timezone.make_naive(value, ZoneInfo(settings.TIME_ZONE))


# For a Wagtail export view's ``custom_value_preprocess``: local time, not UTC, in both formats.
LOCAL_TIME_PREPROCESS = {datetime: {"csv": local_text, "xlsx": local_naive}}


def guard_wagtail_exports() -> None:
    """Make every Wagtail spreadsheet export pass its cells through :func:`formula_safe`.

    Wagtail has no setting for this, and a view that forgets it leaks, so the guard wraps
    ``SpreadsheetExportMixin.preprocess_field_value`` once for every view that exports, ours and
    Wagtail's own (form submissions are typed by visitors).
    """
    from wagtail.admin.views.mixins import SpreadsheetExportMixin  # needs the app registry

    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "formula_safe", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        return formula_safe(original(self, field, value, export_format))

    preprocess_field_value.formula_safe = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
