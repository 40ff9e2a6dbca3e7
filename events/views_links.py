"""One-click RSVP links from emails: no login needed, and a GET never changes anything.

Mail scanners open every link in a message, so the link only shows the answer preselected with one
button to confirm (plus guests, car and run group where the event needs them); the POST records it.
Expired or damaged links show a page whose button mails the member a fresh link.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_POST

from community.mail import mail_site, queue_mail
from community.models import Member
from community.showrooms import site_for_request
from events import selectors, services, tokens
from events.forms import RsvpForm
from events.links import rsvp_link_url
from events.models import EventPage, Rsvp


def _no_store(response):
    patch_cache_control(response, private=True, no_store=True)
    # The token must not leak to other sites, yet the page's own forms must post with their real
    # Origin: "no-referrer" makes Chromium send "Origin: null", which CSRF checking refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def rsvp_link(request, token: str):
    try:
        target = tokens.read_rsvp_link_token(token)
    except tokens.TokenExpired:
        return _no_store(
            render(
                request,
                "events/rsvp_link_problem.html",
                {"token": token, "expired": True},
                status=410,
            )
        )
    except tokens.TokenInvalid:
        return _no_store(
            render(request, "events/rsvp_link_problem.html", {"expired": False}, status=400)
        )
    event = get_object_or_404(EventPage.objects.live(), pk=target.event_id)
    member = get_object_or_404(Member, pk=target.member_id, is_active=True)
    existing = Rsvp.objects.filter(event=event, member=member).first()
    answer = request.GET.get("answer") if request.GET.get("answer") in Rsvp.Answer.values else None
    initial = {"answer": answer or (existing.answer if existing else Rsvp.Answer.GOING)}
    if existing:
        initial.update(guests=existing.guests, car=existing.car_id, run_group=existing.run_group_id)
    form = RsvpForm(request.POST or None, initial=initial, event=event, member=member)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = form.respond(member=member, source=Rsvp.Source.EMAIL)
        except services.RsvpError as error:
            form.add_error(None, str(error))
    context = {
        "event": event,
        "member": member,
        "form": form,
        "result": result,
        "position": services.waitlist_position_after_answer(rsvp=result) if result else None,
        "rsvp_open": event.rsvp_open(),
        "places_left": services.places_open(event=event),
        "may_attend": selectors.member_may_attend(event=event, member=member),
    }
    return _no_store(render(request, "events/rsvp_link.html", context))


@require_POST
def rsvp_link_renew(request):
    """Mail a fresh link: for an expired token its member and event; for a damaged one, links for
    the upcoming events of the member with the email address typed (without saying if there is one)."""
    token = request.POST.get("token", "")
    if token:
        try:
            tokens.read_rsvp_link_token(token)
            target = None  # still valid: nothing to renew
        except tokens.TokenExpired as expired:
            target = expired
        except tokens.TokenInvalid:
            target = None
        if target is not None:
            member = Member.objects.filter(pk=target.member_id, is_active=True).first()
            event = EventPage.objects.live().filter(pk=target.event_id).first()
            if member and event:
                _mail_links(member=member, events=[event], site=mail_site(event))
    elif email := request.POST.get("email", "").strip():
        member = Member.objects.filter(email__iexact=email, is_active=True).first()
        if member:
            site = site_for_request(request)  # this showroom's events, its name and sender
            upcoming = [
                e
                for e in selectors.upcoming_events(
                    viewer=member, limit=10, root=site.root_page if site else None
                )
                if e.rsvp_open()
            ]
            _mail_links(member=member, events=upcoming, site=site)
    messages.success(request, "If we know you, a fresh link is on its way to your inbox.")
    return redirect("/")


def _mail_links(*, member, events, site) -> None:
    if not events:
        return
    queue_mail(
        template="rsvp_links",
        to=[member.email],
        context={
            "member_name": member.display_name,
            "events": [
                {
                    "title": event.title,
                    "when": f"{timezone.localtime(event.start):%A %-d %B, %H:%M}",
                    "going": rsvp_link_url(event=event, member=member, answer="going"),
                    "maybe": rsvp_link_url(event=event, member=member, answer="maybe"),
                    "not_going": rsvp_link_url(event=event, member=member, answer="not_going"),
                }
                for event in events
            ],
        },
        site=site,
    )
