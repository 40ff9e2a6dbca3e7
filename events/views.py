from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from events import selectors, services
from events.forms import RsvpForm
from events.models import EventPage


def _event(request, event_id: int) -> EventPage:
    event = get_object_or_404(EventPage.objects.live(), pk=event_id)
    if not selectors.events_visible_to(viewer=request.user).filter(pk=event.pk).exists():
        raise Http404("No such event.")
    return event


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
