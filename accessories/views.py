"""The lead form's POST (on the accessory's own page for members, ``lead_send`` for visitors) and
handing a reserved item over at check-in.

A visitor's accessory page comes from the page cache, so its form carries no CSRF token: the
page's script fetches one from /csrf/ (paddock/csrf.py) before the form is sent. Without
JavaScript (or with a token that has gone), ``lead_send`` finds no valid token and shows the form
again, everything typed kept and a fresh token in it, asking to send it again: nothing is lost,
and nothing is recorded until a request passes Django's CSRF check.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from wagtail.models import Page

from accessories import selectors, services
from accessories.forms import LeadForm
from accessories.models import AccessoryPage, Lead
from community.lazy import Lazy
from community.page_parts import member_value
from events.views_checkin import staff_required

logger = logging.getLogger(__name__)


def _client_ip(request) -> str:
    from allauth.account.adapter import get_adapter

    try:  # honours ALLAUTH_TRUSTED_PROXY_COUNT behind a proxy, as the login rate limits do
        return get_adapter(request).get_client_ip(request)
    except Exception:
        return request.META.get("REMOTE_ADDR", "") or "unknown"


def lead_rate_limited(request, *, email: str) -> bool:
    """Count this lead against the sender's IP address and email; True once either is over
    ``ACCESSORY_LEADS_PER_HOUR`` in the current hour (members are counted by account too)."""
    limit = getattr(settings, "ACCESSORY_LEADS_PER_HOUR", 5)
    email_key = hashlib.sha256(email.lower().encode()).hexdigest()[:32]  # short, safe key
    keys = [f"accessory-leads:ip:{_client_ip(request)}", f"accessory-leads:email:{email_key}"]
    if request.user.is_authenticated:
        keys.append(f"accessory-leads:member:{request.user.pk}")
    over = False
    for key in keys:
        cache.add(key, 0, timeout=3600)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=3600)
            count = 1
        over = over or count > limit
    return over


def accessory_page_context(*, accessory: AccessoryPage, request, form: LeadForm | None = None):
    """What the accessory's page shows (accessories.selectors) and its "Ask about this" /
    "Reserve" form: empty, with the kind the link asked for, or as posted with its errors."""
    context = selectors.accessory_page_context(accessory=accessory, request=request)
    visitor = not request.user.is_authenticated
    # A visitor's page is shared through the page cache: no token in it (the script fetches one).
    # A page answering a POST is this visitor's own (never cached): its token is inline.
    context["lead_form_token_deferred"] = visitor and request.method == "GET"
    context["lead_form_action"] = (
        reverse("accessories:lead_send", args=[accessory.pk])
        if visitor
        else accessory.get_url(request)
    )
    if form is None:
        kind = request.GET.get("kind")
        initial = {"kind": kind if kind in Lead.Kind.values else Lead.Kind.ASK}
        if not visitor:  # in a shared body, placeholders the member's own fill in
            initial.update(name=member_value(request, "name"), email=member_value(request, "email"))
        form = Lazy(
            lambda: LeadForm(
                member=request.user,
                events=context["pickup_events"],
                accessory=accessory,
                initial=initial,
            )
        )
    context["lead_form"] = form
    return context


def lead_form_response(request, *, accessory: AccessoryPage):
    """Handle the "Ask about this" / "Reserve" form posted to the accessory's page.

    Valid: the lead is recorded, staff are emailed and the asker is sent back to the page with a
    thank-you. Invalid: the page again with every error next to its field (nothing typed is lost).
    Too many in an hour: 429 with the form kept. A filled-in honeypot is thanked and dropped.
    """
    events = selectors.pickup_events(viewer=request.user)
    form = LeadForm(request.POST, member=request.user, events=events, accessory=accessory)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        if form.is_spam:
            logger.info("Honeypot filled on accessory %s: lead dropped.", accessory.pk)
            return _thanks(request, accessory, kind=data["kind"])
        if lead_rate_limited(request, email=data["email"]):
            form.add_error(
                None,
                "You have sent us several messages in the last hour. Please wait a little, "
                "or call us: we'll be glad to help.",
            )
            status = 429
        else:
            try:
                services.lead_create(
                    accessory=accessory,
                    member=request.user if request.user.is_authenticated else None,
                    name=data["name"],
                    email=data["email"],
                    phone=data.get("phone", ""),
                    message=data.get("message", ""),
                    kind=data["kind"],
                    event=data.get("event"),
                    consent=data.get("consent", False),
                )
            except services.LeadError as error:
                form.add_error(None, str(error))
            else:
                return _thanks(request, accessory, kind=data["kind"])
    context = Page.get_context(accessory, request)
    context.update(accessory_page_context(accessory=accessory, request=request, form=form))
    response = TemplateResponse(request, accessory.get_template(request), context, status=status)
    patch_cache_control(response, private=True, no_store=True)
    return response


SEND_AGAIN = (
    "Please send again: nothing has been sent yet, as your browser did not send our form's "
    "security check. Everything you typed is kept below."
)


def _csrf_refused(request) -> bool:
    """Django's own CSRF check (token, cookie, Origin and Referer), as its middleware makes it
    for any view that is not exempt; True when it refuses the request."""
    check = CsrfViewMiddleware(lambda r: None)
    return check.process_view(request, lead_form_response, (), {}) is not None


@csrf_exempt  # checked below, with Django's check: a refusal shows the form again, kept
@require_POST
def lead_send(request, page_id: int):
    """A visitor's lead form (members post to the accessory's page, token inline).

    With a valid CSRF token (fetched by the page's script): as ``lead_form_response``. Without
    one (no JavaScript, a token gone stale): the form again with what was typed, its errors if
    any, a fresh token and "Please send again"; nothing is recorded.
    """
    accessory = get_object_or_404(AccessoryPage.objects.live().public(), pk=page_id)
    if not _csrf_refused(request):
        return lead_form_response(request, accessory=accessory)
    events = selectors.pickup_events(viewer=request.user)
    form = LeadForm(request.POST, member=request.user, events=events, accessory=accessory)
    form.add_error(None, SEND_AGAIN)
    context = Page.get_context(accessory, request)
    context.update(accessory_page_context(accessory=accessory, request=request, form=form))
    response = TemplateResponse(request, accessory.get_template(request), context, status=403)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _thanks(request, accessory, *, kind: str):
    if kind == Lead.Kind.RESERVE:
        text = "Thank you: it's reserved for you. We have emailed you the details."
    else:
        text = "Thank you: the parts team will answer you soon. We have emailed you a copy."
    messages.success(request, text)
    return redirect(f"{accessory.get_url(request)}#ask")


@staff_required
@require_POST
def lead_handed_over(request, lead_id: int):
    """At the door: staff hand the reserved item over; back to the check-in page."""
    lead = get_object_or_404(Lead.objects.select_related("accessory"), pk=lead_id)
    try:
        services.lead_hand_over(lead=lead, by=request.user)
    except services.LeadError as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, f"Handed over: {lead.accessory.title} to {lead.name}.")
    if lead.event_id:
        return redirect("events:checkin", lead.event_id)
    return redirect("accessory_leads:edit", lead.pk)
