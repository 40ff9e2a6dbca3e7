from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from community.audience import as_audience
from community.contributions import EVENT_SECTIONS, sections
from community.lazy import Lazy
from community.leads.forms import add_lead_error
from community.leads.services import SalesLeadError
from community.page_parts import MEMBER_MARKS
from community.selectors import member_cars_of_request
from community.showrooms import site_for_request
from events import selectors, services
from events.drives import drive_lead_create, drive_models_offered
from events.forms import DriveRequestForm, RsvpForm, rsvp_form_marks, rsvp_form_shares
from events.models import EventPage, Rsvp


def _event(request, event_id: int) -> EventPage:
    """The live event ``event_id`` if the viewer may see it (one query), else a 404."""
    event = selectors.visible_event(viewer=request.user, event_id=event_id)
    if event is None:
        raise Http404("No such event.")
    return event


def event_page_context(*, event: EventPage, request) -> dict:
    """What an event page shows (``EventPage.get_context``): the viewer's RSVP and its form, the
    places left and who is going, and the sections higher apps add. Each value is ``Lazy``: a
    member's page taken from its shared body computes only what their own parts show."""
    viewer = request.user

    mine = Lazy(
        lambda: selectors.member_rsvp(
            event=event, member=viewer, cars=member_cars_of_request(request)
        )
    )

    def rsvp_form():
        if not viewer.is_authenticated:
            return None
        saved = request.session.pop(f"rsvp-form-{event.pk}", None)
        if saved:
            return RsvpForm(saved, event=event, member=viewer)
        initial = {}
        if mine:
            initial = {
                "answer": mine.answer,
                "guests": mine.guests,
                "car": mine.car_id,
                "run_group": mine.run_group_id,
                "emergency_contact_name": mine.emergency_contact_name,
                "emergency_contact_phone": mine.emergency_contact_phone,
            }
        form = RsvpForm(initial=initial, event=event, member=viewer)
        if mine:
            form.submit_label = "Update my RSVP"
        return form

    # A member's page from its shared body: for an event all members may come to, the RSVP form
    # is part of that body (with whether RSVPs are open, as places left are), and the member's
    # own answer, guests and cars are marked onto it as the page is served (``rsvp_form_marks``).
    shares_form = Lazy(
        lambda: bool(
            getattr(request, "paddock_shared_body", False)
            and rsvp_form_shares(event)
            and not event.is_past
            and not event.is_cancelled
        )
    )

    going = Lazy(
        lambda: list(
            Rsvp.objects.filter(event=event, state=Rsvp.State.CONFIRMED)
            .select_related("member")
            .order_by("confirmed_at", "pk")
        )
    )
    # Who's going, as every member of the viewer's audience sees it (community.audience): part of
    # the event page's shared body.
    shown = Lazy(
        lambda: [r.member for r in going if r.member.profile_visible_to(as_audience(viewer))]
    )
    drive_models = Lazy(lambda: list(drive_models_offered(event=event)))

    def run_group_places():
        if not event.is_track_day:
            return []
        return [
            {"group": group, "free": services.places_open(event=event, run_group=group)}
            for group in event.run_groups.all()
        ]

    return {
        **sections(EVENT_SECTIONS, viewer=viewer, event=event),  # accessories on display
        "my_rsvp": mine,
        "waitlist_position": Lazy(lambda: services.waitlist_position(rsvp=mine) if mine else None),
        "rsvp_form": Lazy(rsvp_form),
        "rsvp_form_shared": shares_form,
        "shared_rsvp_form": Lazy(
            lambda: RsvpForm(event=event, member=None, shared=True) if shares_form else None
        ),
        MEMBER_MARKS: Lazy(
            lambda: (
                rsvp_form_marks(rsvp=mine, cars=member_cars_of_request(request))
                if shares_form
                else {}
            )
        ),
        "may_attend": Lazy(lambda: selectors.member_may_attend(event=event, member=viewer)),
        "rsvp_open": Lazy(event.rsvp_open),
        "capacity": Lazy(lambda: event.places_in_all),
        "places_left": Lazy(lambda: services.places_open(event=event)),
        "going_count": Lazy(lambda: sum(r.places for r in going)),
        "going_members": Lazy(lambda: shown[:30]),
        "going_hidden": Lazy(lambda: len(going) - len(shown[:30])),
        "run_group_places": Lazy(run_group_places),
        "waiver_version": Lazy(lambda: event.waiver.current_version if event.waiver_id else None),
        "route_plan": Lazy(lambda: selectors.route_plan(event=event)),
        "now": timezone.now(),
        "in_series": Lazy(lambda: selectors.in_series(event=event, member=viewer)),
        "test_drive_models": drive_models,
        "test_drive_form": Lazy(
            lambda: (
                DriveRequestForm(event=event) if drive_models and viewer.is_authenticated else None
            )
        ),
        # After the event, those who came hear about the next car (community:next_car).
        "next_car_prompt": Lazy(
            lambda: bool(
                event.is_past
                and mine
                and (mine.state == Rsvp.State.CONFIRMED or mine.checked_in_at)
            )
        ),
        # The album, once it has approved photos (the first eight as a preview).
        "album_photos": Lazy(
            lambda: selectors.event_album_photos(event=event, viewer=viewer, limit=8)
        ),
        "may_add_photos": Lazy(lambda: selectors.may_add_event_photos(event=event, member=viewer)),
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
        position = services.waitlist_position_after_answer(rsvp=result)
        messages.info(
            request,
            f"The event is full: you're number {position} on the waitlist. We'll email you.",
        )
    else:
        messages.success(request, "Thanks for letting us know.")
    return redirect(f"{event.get_url(request)}#rsvp")


@login_required
@require_http_methods(["GET", "POST"])
def test_drive(request, event_id: int):
    """Ask to drive one of the models the event offers. The form sits on the event page; this
    page shows it alone (after signing in, say) and with its errors, keeping what was typed."""
    event = _event(request, event_id)
    models = list(drive_models_offered(event=event))
    if not models:
        messages.info(request, "There are no test drives to book at this event.")
        return redirect(event.get_url(request))
    form = DriveRequestForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        car_model = form.cleaned_data["car_model"]
        try:
            drive_lead_create(
                event=event,
                member=request.user,
                car_model=car_model,
                site=site_for_request(request),
                message=form.cleaned_data["message"],
            )
        except SalesLeadError as error:
            add_lead_error(form, error, fields={"car_models": "car_model"})
        else:
            messages.success(
                request,
                f"Thank you: we'll be in touch to book your drive of the {car_model} "
                f"at {event.title}.",
            )
            return redirect(f"{event.get_url(request)}#test-drive")
    return render(
        request,
        "events/test_drive.html",
        {"page": event, "test_drive_form": form, "test_drive_models": models},
    )


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


def route_gpx(request, event_id: int):
    """A drive's route as a GPX file, for a satnav or a route planner."""
    event = _event(request, event_id)
    if not event.drive_route_id:
        raise Http404("This event has no route.")
    response = HttpResponse(
        selectors.route_gpx(event=event), content_type="application/gpx+xml; charset=utf-8"
    )
    name = slugify(event.drive_route.name) or "route"
    response["Content-Disposition"] = f'attachment; filename="{name}.gpx"'
    return response
