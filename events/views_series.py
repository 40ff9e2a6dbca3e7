"""A member's "every date" answer for a series, from any of its dates' pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from events.services.series import SeriesError, series_join, series_leave
from events.views import _event


def _back(request, event):
    return redirect(f"{event.get_url(request)}#series")


@login_required
@require_POST
def series_join_view(request, event_id: int):
    """ "Count me in for every date", posted from the date ``event_id``'s page."""
    event = _event(request, event_id)
    if event.series_id is None:
        messages.error(request, "This event is not part of a series.")
        return _back(request, event)
    try:
        guests = int(request.POST.get("guests") or 0)
    except ValueError:
        guests = -1
    try:
        series_join(series=event.series, member=request.user, guests=guests)
    except SeriesError as error:
        messages.error(request, str(error))
        return _back(request, event)
    messages.success(
        request,
        f"You're in for every {event.series.title}: we'll put you down for each date as its "
        "RSVPs open. The whole series is on its way to your calendar.",
    )
    return _back(request, event)


@login_required
@require_POST
def series_leave_view(request, event_id: int):
    event = _event(request, event_id)
    if event.series_id is not None:
        series_leave(series=event.series, member=request.user)
    messages.success(
        request, "You have left the series: answers you gave for dates stay as they are."
    )
    return _back(request, event)
