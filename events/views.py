from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from community.contributions import EVENT_SECTIONS, sections
from events import selectors, services
from events.forms import RsvpForm
from events.models import EventPage, Rsvp


def _event(request, event_id: int) -> EventPage:
    event = get_object_or_404(EventPage.objects.live(), pk=event_id)
    if not selectors.events_visible_to(viewer=request.user).filter(pk=event.pk).exists():
        raise Http404("No such event.")
    return event


def event_page_context(*, event: EventPage, request) -> dict:
    """What an event page shows (``EventPage.get_context``): the viewer's RSVP and its form, the
    places left and who is going, and the sections higher apps add."""
    viewer = request.user
    my_rsvp = None
    form = None
    if viewer.is_authenticated:
        my_rsvp = (
            Rsvp.objects.filter(event=event, member=viewer)
            .select_related("car__car_model", "run_group")
            .first()
        )
        saved = request.session.pop(f"rsvp-form-{event.pk}", None)
        initial = {}
        if my_rsvp:
            initial = {
                "answer": my_rsvp.answer,
                "guests": my_rsvp.guests,
                "car": my_rsvp.car_id,
                "run_group": my_rsvp.run_group_id,
                "emergency_contact_name": my_rsvp.emergency_contact_name,
                "emergency_contact_phone": my_rsvp.emergency_contact_phone,
            }
        form = (
            RsvpForm(saved, event=event, member=viewer)
            if saved
            else RsvpForm(initial=initial, event=event, member=viewer)
        )
    going = list(
        Rsvp.objects.filter(event=event, state=Rsvp.State.CONFIRMED)
        .select_related("member")
        .order_by("confirmed_at", "pk")
    )
    shown = [r.member for r in going if r.member.profile_visible_to(viewer)]
    groups = []
    if event.is_track_day:
        for group in event.run_groups.all():
            groups.append(
                {"group": group, "free": services.places_open(event=event, run_group=group)}
            )
    return {
        **sections(EVENT_SECTIONS, viewer=viewer, event=event),  # accessories on display
        "my_rsvp": my_rsvp,
        "waitlist_position": services.waitlist_position(rsvp=my_rsvp) if my_rsvp else None,
        "rsvp_form": form,
        "may_attend": selectors.member_may_attend(event=event, member=viewer),
        "rsvp_open": event.rsvp_open(),
        "capacity": event.places_in_all,
        "places_left": services.places_open(event=event),
        "going_count": sum(r.places for r in going),
        "going_members": shown[:30],
        "going_hidden": len(going) - len(shown[:30]),
        "run_group_places": groups,
        "waiver_version": event.waiver.current_version if event.waiver_id else None,
        "now": timezone.now(),
        "in_series": selectors.in_series(event=event, member=viewer),
        # The album, once it has approved photos (the first eight as a preview).
        "album_photos": selectors.event_album_photos(event=event, viewer=viewer, limit=8),
        "may_add_photos": selectors.may_add_event_photos(event=event, member=viewer),
    }


@login_required
@require_POST
def rsvp(request, event_id: int):
    """The RSVP form on the event page. Errors are shown on the page; nothing half-saved."""
    event = _event(request, event_id)
    form = RsvpForm(request.POST, event=event, member=request.user)
    if not form.is_valid():
        request.session[f"rsvp-form-{event.pk}"] = request.POST.dict()
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
        return redirect(f"{event.get_url(request)}#rsvp")
    try:
        result = form.respond(member=request.user)
    except services.RsvpError as error:
        request.session[f"rsvp-form-{event.pk}"] = request.POST.dict()
        messages.error(request, str(error))
        return redirect(f"{event.get_url(request)}#rsvp")
    request.session.pop(f"rsvp-form-{event.pk}", None)
    if result.state == result.State.CONFIRMED:
        messages.success(request, f"You're going! Places held: {result.places}.")
    elif result.state == result.State.WAITLISTED:
        position = services.waitlist_position(rsvp=result)
        messages.info(
            request,
            f"The event is full: you're number {position} on the waitlist. We'll email you.",
        )
    else:
        messages.success(request, "Thanks for letting us know.")
    return redirect(f"{event.get_url(request)}#rsvp")


@login_required
@require_POST
def waitlist_leave(request, event_id: int):
    event = _event(request, event_id)
    services.waitlist_leave(event=event, member=request.user)
    messages.success(request, "You have left the waitlist.")
    return redirect(f"{event.get_url(request)}#rsvp")


@login_required
def my_events(request):
    response = render(
        request, "events/my_events.html", selectors.member_events(member=request.user)
    )
    response["Cache-Control"] = "private, no-store"
    return response
