"""Members' pages: one shared body per audience, each member's own parts rendered apart.

A signed-in member's page is mostly what every member like them sees: the same events, clubs,
stories and accessories. Only a few parts are theirs alone: their RSVP and its form, their
messages, "You're a member" on a club card, "Fits your Cooper S" on an accessory card. So a page
is rendered for members in two steps (``shared_body_render``):

1. **The shared body**, rendered once per *audience* and page, and kept in the cache for the page
   cache's TTL (``PADDOCK_PAGE_CACHE_SECONDS``) under its generation (cleared with the cached
   pages). The audience (``audience_of``) is what decides which content a member may see: staff
   or not, and the private clubs they are in; a page type may add facts its shared parts depend
   on (``AUDIENCE_FACTS``: their cars on accessory pages, their posts awaiting approval on the
   feed and club pages). The page's context is built for the real member, so a value that depends
   on anything else (their RSVP, their leads) is only read inside a personal part. While the body
   renders, ``user`` is an ``AudienceUser`` that answers only ``is_authenticated``,
   ``is_anonymous`` and ``is_staff``, ``request`` has no session or cookies, messages are out of
   reach, and the CSRF token is a placeholder that each member's own token replaces when the page
   is served (so a form that is the same for everyone stays in the shared body). Touching one
   member's data there raises ``SharedRenderError``: the page is then rendered whole for this
   member, uncached, and the error logged. A template can never put one member's data into a
   body another member gets.
2. **The member's own parts**: regions marked ``{% personal "name" %}...{% endpersonal %}`` are
   left in the shared body as markers and rendered per request with the real member
   (``_fill_slots``); a member's note on one item of a list is a
   ``{% personal_mark "kind" pk %}default{% endpersonal_mark %}``, filled for the whole page by one
   call per kind (``personal_marks_fill``, from ``PersonalPartsMiddleware``, for visitors too);
   a form every member gets alike but for a few values of theirs (an event's RSVP form: their
   answer checked, their guests, their cars as options) stays in the shared body with
   ``member_mark(name)`` stand-ins, which the page's context fills per request (its
   ``MEMBER_MARKS`` value, ``member_marks_fill``): no form is built or rendered per member.

A body's key holds the cache generation, the audience, the page's address and template, and the
fingerprint of every template the site can load (``template_fingerprint``): a deploy that changes
a template never gets a body rendered from the templates before.

Page contexts hand their values in as ``Lazy`` objects (community/lazy.py), so a shared body taken
from the cache runs none of the queries of the parts it does not render. A member who has just
changed something (any POST) gets their pages rendered whole for the TTL
(``PersonalPartsMiddleware``), so their own post, RSVP or membership shows at once; what other
members do reaches them within the TTL, as it reaches visitors. Off (pages rendered whole, parts
inline) when the page cache is off, as in the tests and locally, or when the cache is away.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.template.context import make_context
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.html import conditional_escape
from wagtail import hooks

from community import models
from community.audience import AudienceUser, SharedRenderError
from community.selectors import private_club_ids_visible_to
from paddock.page_cache import generation_of_pages, page_cache_seconds
from paddock.prepared import Prepared

logger = logging.getLogger("paddock.page_parts")

SLOT_MARKER = "<!--paddock:part:{}-->"
SLOT_RE = re.compile(r"<!--paddock:part:([^>]+?)-->")
# The CSRF token in a shared body: each form there gets the member's own when the page is served.
CSRF_PLACEHOLDER = "paddock-shared-body-csrf-token-6f1c9e2a"
# What a form in a shared body may show of the member, filled in (escaped) as the page is served:
# a form prefilled with their name and email is then the same for every member.
MEMBER_VALUES = {
    "name": ("paddock-shared-body-member-name-6f1c9e2a", lambda user: user.display_name),
    "email": ("paddock-shared-body-member-email-6f1c9e2a", lambda user: user.email),
}


# A member's own value inside a shared form (their answer checked, their guests, their cars as
# options): ``member_mark(name)`` stands in the body; the page's context gives the values of this
# member's marks per request under ``MEMBER_MARKS`` (a dict, or a Lazy one: name -> safe HTML).
MEMBER_MARK = "paddock-mark-6f1c9e2a-{}"
MEMBER_MARK_RE = re.compile(r"paddock-mark-6f1c9e2a-([a-z0-9_]+)")
MEMBER_MARKS = "paddock_member_marks"


def member_mark(name: str) -> str:
    """The stand-in for the member's own value ``name`` ([a-z0-9_]) in a shared body."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"A member mark's name is made of a-z, 0-9 and _: {name!r}")
    return MEMBER_MARK.format(name)


def member_marks_fill(html: str, *, context: dict) -> str:
    """Each ``member_mark`` of the page with this member's value (nothing for a mark the page
    gives no value for): one pass over the page, the values built only when it has a mark."""
    if "paddock-mark-6f1c9e2a-" not in html:
        return html
    values = context.get(MEMBER_MARKS) or {}
    return MEMBER_MARK_RE.sub(lambda match: str(values.get(match.group(1), "")), html)


def member_value(request, name: str) -> str:
    """The member's ``name`` ("name", "email") for a form: a placeholder while their page is
    built from a shared body (filled in as it is served), else the value itself."""
    placeholder, value_of = MEMBER_VALUES[name]
    return placeholder if getattr(request, "paddock_shared_body", False) else value_of(request.user)


FRESH_COOKIE = "paddock_fresh"  # set for the TTL after a member's POST: render their pages whole

# The {% personal %} regions compiled in this process, by "template name#part name".
_SLOTS: dict[str, object] = {}


class _Forbidden:
    """Stands for the messages in a shared body."""

    def __init__(self, name: str):
        self.name = name

    def _refuse(self, *args, **kwargs):
        raise SharedRenderError(f"{self.name} used outside a {{% personal %}} part")

    __str__ = __bool__ = __iter__ = __len__ = __html__ = _refuse


class SharedRequest:
    """``request`` in a shared body: the request, but its user is the ``AudienceUser`` and its
    session and cookies (one member's) are out of reach."""

    def __init__(self, request, user: AudienceUser):
        self._request, self.user = request, user

    def __getattr__(self, name):
        if name in ("session", "COOKIES", "auth"):
            raise SharedRenderError(f"request.{name} used outside a {{% personal %}} part")
        return getattr(self._request, name)


# --- the audience -----------------------------------------------------------------------------


def audience_of(user, *, facts: tuple[str, ...] = ()) -> str:
    """What the shared parts of ``user``'s pages may depend on: "visitor"; "staff"; or "member"
    with the private clubs they are in (their posts and events are for those members alone).
    ``facts``: more that a page type's shared parts depend on (``AUDIENCE_FACTS``)."""
    if not getattr(user, "is_authenticated", False):
        return "visitor"
    if user.is_staff:
        audience = "staff"
    else:
        private = sorted(private_club_ids_visible_to(user))
        # The request's user is new with each request: the rest of this one reads them from here.
        user._paddock_private_club_ids = tuple(private)
        audience = "member" + "".join(f":{pk}" for pk in private)
    for fact in facts:
        audience += f"|{fact}=" + AUDIENCE_FACTS[fact](user)
    return hashlib.sha256(audience.encode()).hexdigest()[:32]


# A member's cars as their audience knows them (model and year), compiled once per process.
_CAR_FACTS = Prepared(
    lambda shape, *, owner_id: models.Car.objects.filter(owner_id=owner_id).values_list(
        "car_model_id", "year"
    )
)


def _cars(user) -> str:
    return repr(sorted(_CAR_FACTS.all(owner_id=user.pk)))


# A member's posts waiting for approval (shown to them alone), compiled once per process.
_PENDING_POSTS = Prepared(
    lambda shape, *, author_id: models.Post.objects.filter(
        author_id=author_id, status=models.Post.Status.PENDING
    ).values_list("pk")
)


def _pending_posts(user) -> str:
    return repr(sorted(pk for (pk,) in _PENDING_POSTS.all(author_id=user.pk)))


# Facts a page type may add to its audience (``BasePage.shared_body_facts``): the member's cars
# (what fits: accessory listings), their posts waiting for approval (shown to them alone).
AUDIENCE_FACTS = {"cars": _cars, "pending_posts": _pending_posts}


def member_is_fresh(request) -> bool:
    """The member changed something a moment ago: their pages render whole for a while. (A cookie,
    not the session, so an answer costs no session write; whoever sets it by hand only gets their
    own pages rendered whole.)"""
    return FRESH_COOKIE in request.COOKIES


def shared_body_applies(request) -> bool:
    user = getattr(request, "user", None)
    return (
        request.method == "GET"
        and getattr(user, "is_authenticated", False)
        and page_cache_seconds() > 0
        and not getattr(request, "is_preview", False)
        and not member_is_fresh(request)
    )


# --- rendering --------------------------------------------------------------------------------


_fingerprint: list[str] = []  # this process's, computed once


def template_fingerprint() -> str:
    """A digest of every template the Django engine can load (Paddock's and the libraries'),
    computed once per process: part of a shared body's key, so that after a deploy that changes
    any template no member gets a body (or a ``{% personal %}`` part) of the templates before."""
    if not _fingerprint:
        digest = hashlib.sha256()
        for directory in engines["django"].template_dirs:
            for folder, folders, files in os.walk(directory):
                folders.sort()
                for name in sorted(files):
                    path = os.path.join(folder, name)
                    digest.update(os.path.relpath(path, directory).encode() + b"\0")
                    with open(path, "rb") as file:
                        digest.update(file.read())
        _fingerprint.append(digest.hexdigest()[:16])
    return _fingerprint[0]


def _key(request, template_name: str, audience: str, generation: str) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(f"{url}|{template_name}|{audience}".encode()).hexdigest()
    return f"paddock:body:{generation}:{template_fingerprint()}:{digest}"


BODY_HEADER = "X-Paddock-Body"  # "hit": the shared body came from the cache; "miss": rendered


def shared_body_render(
    *,
    request,
    template_name: str,
    context: dict,
    facts: tuple[str, ...] = (),
    audience: str | None = None,
) -> tuple[str, bool] | None:
    """The page for the member of ``request`` and whether its shared body came from the cache:
    the audience's shared body (from the cache, or rendered and kept) with the member's own parts
    filled in. None when it cannot be shared (the cache is away, or the template touched one
    member's data): render it whole then."""
    generation = generation_of_pages()
    if generation is None:
        return None
    template = engines["django"].get_template(template_name)
    if audience is None:
        audience = audience_of(request.user, facts=facts)
    key = _key(request, template_name, audience, generation)
    body = cache.get(key)
    hit = body is not None
    if not hit:
        try:
            user = AudienceUser(request.user)
            shared = {
                **context,
                "user": user,
                "request": SharedRequest(request, user),
                "csrf_token": CSRF_PLACEHOLDER,
                "messages": _Forbidden("Messages"),
                "paddock_shared_body": True,
            }
            body = template.render(shared, request)
        except SharedRenderError as error:
            logger.error("%s cannot be shared between members: %s", template_name, error)
            return None
        cache.set(key, body, page_cache_seconds())
    html = _fill_slots(body, request=request, template=template, context=context)
    html = member_marks_fill(html, context=context)
    if CSRF_PLACEHOLDER in html:  # each form of the shared body gets the member's own token
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    for placeholder, value_of in MEMBER_VALUES.values():
        if placeholder in html:
            html = html.replace(placeholder, conditional_escape(value_of(request.user)))
    return html, hit


def shared_body_response(
    *, request, template_name: str, context, facts: tuple[str, ...] = ()
) -> HttpResponse | None:
    """A member's page from the shared body of their audience (private, never kept by a browser
    or a proxy), or None when the page is to be rendered whole (``shared_body_applies``).
    ``context``: builds the page's context, once it is known the page comes from a shared body
    (``request.paddock_shared_body``, which ``member_value`` reads, is set before)."""
    request.paddock_shared_body = shared_body_applies(request)
    if not getattr(request, "paddock_shared_body", False):
        return None
    # The audience first: it reads the member's private clubs once for the request, which the
    # page's context then takes from the member (``private_club_ids_visible_to``).
    audience = audience_of(request.user, facts=facts)
    rendered = shared_body_render(
        request=request, template_name=template_name, context=context(), audience=audience
    )
    if rendered is None:
        request.paddock_shared_body = False  # rendered whole: the context is built again for it
        return None
    html, hit = rendered
    response = HttpResponse(html)
    response[BODY_HEADER] = "hit" if hit else "miss"
    patch_vary_headers(response, ["Cookie"])
    patch_cache_control(response, private=True, no_store=True)
    return response


def _fill_slots(body: str, *, request, template, context: dict) -> str:
    if "<!--paddock:part:" not in body:
        return body
    ctx = make_context(context, request)
    with ctx.bind_template(template.template):
        return SLOT_RE.sub(lambda match: _slot(match.group(1)).nodelist.render(ctx), body)


def _slot(slot_id: str):
    node = _SLOTS.get(slot_id)
    if node is None:  # a body another process rendered: compile the template that holds it
        engines["django"].get_template(slot_id.rpartition("#")[0])
        node = _SLOTS[slot_id]
    return node


def slot_register(slot_id: str, node) -> None:
    """A ``{% personal %}`` region, by "template name#part name" (community_tags)."""
    _SLOTS[slot_id] = node


# --- marks ------------------------------------------------------------------------------------

MARK_MARKER = "<!--paddock:mark:{kind}:{pk}-->{default}<!--/paddock:mark-->"
MARK_RE = re.compile(rb"<!--paddock:mark:([a-z_]+):([0-9]+)-->(.*?)<!--/paddock:mark-->", re.S)
MARK_HOOK = "paddock_personal_mark_{}"


def personal_marks_fill(content: bytes, *, request) -> bytes:
    """Fill every ``{% personal_mark %}`` of a page: one call per kind, for all its items, to the
    renderer registered under the Wagtail hook ``paddock_personal_mark_<kind>``
    (``fn(*, request, pks) -> {pk: html}``); an item it says nothing about keeps the mark's
    default content."""
    wanted: dict[str, set[int]] = {}
    for kind, pk, _default in MARK_RE.findall(content):
        wanted.setdefault(kind.decode(), set()).add(int(pk))
    filled: dict[tuple[str, int], bytes] = {}
    for kind, pks in wanted.items():
        for render in hooks.get_hooks(MARK_HOOK.format(kind)):
            for pk, html in render(request=request, pks=sorted(pks)).items():
                filled[(kind, pk)] = str(html).encode()
    return MARK_RE.sub(
        lambda m: filled.get((m.group(1).decode(), int(m.group(2))), m.group(3)), content
    )


# --- the middleware ---------------------------------------------------------------------------


class PersonalPartsMiddleware:
    """Fills the personal marks of HTML pages (inside the page cache, which so keeps visitors'
    pages with theirs filled), and marks a member's change: after any POST of theirs, their
    pages are rendered whole for the page cache's TTL (``member_is_fresh``), so their own post,
    RSVP or membership shows at once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        seconds = page_cache_seconds()
        user = getattr(request, "user", None)
        if seconds > 0 and request.method == "POST" and getattr(user, "is_authenticated", False):
            response.set_cookie(
                FRESH_COOKIE,
                "1",
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and b"<!--paddock:mark:" in response.content
        ):
            response.content = personal_marks_fill(response.content, request=request)
        return response
