"""The staff check-in page at the door: find, tick in, undo, walk-ins, codes, the list as CSV.

Every change is a POST (with CSRF) that redirects back to the page; GETs change nothing. Members
who aren't staff get 403, visitors the login page.
"""

import csv
from collections import defaultdict
from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_POST

from community.contributions import CHECKIN_PICKUPS, contributed_items
from community.models import Member
from events import checkin
from events.models import EventPage, Rsvp


def staff_required(view):
    """Logged-in staff only: visitors go to the login page, other members get 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied("Check-in is for dealership staff.")
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


class WalkInForm(forms.Form):
    name = forms.CharField(max_length=60, label="Name")
    email = forms.EmailField(label="Email", help_text="They can claim their account with it later.")
    guests = forms.IntegerField(min_value=0, initial=0, required=False, label="Guests")
    run_group = forms.ModelChoiceField(queryset=None, required=False, label="Run group")

    def __init__(self, *args, event: EventPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update({"autocomplete": "off"})
        self.fields["email"].widget.attrs.update({"autocomplete": "off"})
        self.fields["guests"].max_value = event.guests_allowed
        self.fields["guests"].widget.attrs.update({"min": 0, "max": event.guests_allowed})
        if not event.guests_allowed:
            del self.fields["guests"]
        if event.is_track_day and event.run_groups.exists():
            self.fields["run_group"].queryset = event.run_groups.all()
            self.fields["run_group"].empty_label = "No run group (spectator)"
        else:
            del self.fields["run_group"]


def _event(event_id: int) -> EventPage:
    return get_object_or_404(EventPage, pk=event_id)


def _rsvp(event: EventPage, pk) -> Rsvp:
    if not str(pk or "").isdigit():
        raise BadRequest("No attendee given.")
    return get_object_or_404(
        Rsvp.objects.select_related("member", "run_group"), event=event, pk=int(pk)
    )


def _back(event: EventPage, request, **params) -> str:
    """The check-in page again, keeping the search (``q``) staff were looking at."""
    query = {"q": request.POST.get("q", "").strip(), **params}
    query = {key: value for key, value in query.items() if value}
    url = reverse("events:checkin", args=[event.pk])
    return f"{url}?{urlencode(query)}" if query else url


@staff_required
@require_GET
def checkin_page(request, event_id: int):
    event = _event(event_id)
    done = found = code_error = None
    if request.GET.get("done", "").isdigit():
        done = checkin.attendee(event=event, pk=int(request.GET["done"]))
    code = request.GET.get("code", "").strip()
    if code:  # from a ticket's QR opened by a phone's camera app: show, don't check in yet
        try:
            found = checkin.rsvp_for_code(event=event, code=code)
        except checkin.CheckinError as error:
            code_error = str(error)
    return _render_page(
        request,
        event,
        query=request.GET.get("q", ""),
        done=done,
        found=found,
        code=code,
        code_error=code_error,
    )


def _render_page(request, event, *, query: str, walk_in_form=None, status=200, **extra):
    query = query.strip()[:80]
    attendees = checkin.checkin_attendees(event=event, query=query)
    # Accessories members reserved to collect here: shown on their row, and listed in full.
    pickups = contributed_items(CHECKIN_PICKUPS, event=event)
    by_member = defaultdict(list)
    for pickup in pickups:
        if pickup.member_id:
            by_member[pickup.member_id].append(pickup)
    for rsvp in [*attendees, extra.get("done"), extra.get("found")]:
        if rsvp is not None:
            rsvp.pickups = by_member.get(rsvp.member_id, [])
    context = {
        "event": event,
        "counts": checkin.checkin_counts(event=event),
        "query": query,
        "attendees": attendees,
        "others": checkin.checkin_other_matches(event=event, query=query),
        "walk_in_form": walk_in_form or WalkInForm(event=event),
        "pickups": pickups,
        **extra,
    }
    return render(request, "events/checkin.html", context, status=status)


@staff_required
@require_POST
def checkin_tick(request, event_id: int):
    event = _event(event_id)
    return _check_in(request, event, _rsvp(event, request.POST.get("rsvp")))


def _check_in(request, event, rsvp):
    """Tick the attendee in (a refusal, e.g. already checked in, is shown) and go back to the list."""
    try:
        checkin.checkin(rsvp=rsvp, by=request.user)
    except checkin.CheckinError as error:
        messages.warning(request, str(error))
    return redirect(_back(event, request, done=rsvp.pk))


@staff_required
@require_POST
def checkin_undo(request, event_id: int):
    event = _event(event_id)
    rsvp = _rsvp(event, request.POST.get("rsvp"))
    try:
        checkin.checkin_undo(rsvp=rsvp, by=request.user)
    except checkin.CheckinError as error:
        messages.warning(request, str(error))
    else:
        messages.info(request, f"Check-in undone: {rsvp.member.display_name} is expected again.")
    return redirect(_back(event, request))


@staff_required
@require_POST
def checkin_code(request, event_id: int):
    """The typed (or scanned) code: checks the attendee in at once and says who."""
    event = _event(event_id)
    typed = request.POST.get("code", "")
    try:
        rsvp = checkin.rsvp_for_code(event=event, code=typed)
    except checkin.CheckinError as error:  # shown under the code, which stays to be corrected
        return _render_page(
            request,
            event,
            query=request.POST.get("q", ""),
            code=typed.strip()[:200],
            code_error=str(error),
            status=400,
        )
    return _check_in(request, event, rsvp)


@staff_required
@require_POST
def checkin_walk_in(request, event_id: int):
    """A walk-in: an existing member (``member`` id, from the search) or a new person."""
    event = _event(event_id)
    form = None
    if request.POST.get("member", "").isdigit():
        member = get_object_or_404(Member, pk=int(request.POST["member"]), is_active=True)
        data = {"member": member}
    else:
        form = WalkInForm(request.POST, event=event)
        if not form.is_valid():
            return _render_page(
                request, event, query=request.POST.get("q", ""), walk_in_form=form, status=400
            )
        data = form.cleaned_data
    try:
        rsvp = checkin.walk_in(event=event, by=request.user, **data)
    except checkin.CheckinError as error:
        if form is None:
            messages.error(request, str(error))
            return redirect(_back(event, request))
        form.add_error(None, str(error))
        return _render_page(
            request, event, query=request.POST.get("q", ""), walk_in_form=form, status=400
        )
    over = checkin.places_over_capacity(event=event, run_group=rsvp.run_group)
    if rsvp.run_group is not None and not over:
        over = checkin.places_over_capacity(event=event)
    if over:
        messages.warning(
            request,
            f"Over capacity by {over} place{'s' if over != 1 else ''}"
            f"{f' in {rsvp.run_group.name}' if rsvp.run_group else ''}: "
            "your call at the door.",
        )
    return redirect(_back(event, request, done=rsvp.pk) + "#result")


@staff_required
@require_GET
def checkin_csv(request, event_id: int):
    event = _event(event_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate(event.start).isoformat()
    response["Content-Disposition"] = f'attachment; filename="attendees-{event.slug}-{stamp}.csv"'
    response.write("\ufeff")  # so spreadsheet apps read the names as UTF-8
    writer = csv.writer(response)
    for row in checkin.attendee_rows(event=event):
        writer.writerow(row)
    return response
