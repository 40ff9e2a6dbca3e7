"""Fast anonymous pages: no session, no cookies, no ``Vary: Cookie``, and a shared page cache.

A visitor without a session cookie cannot be signed in, so ``AnonymousPageMiddleware`` (after the
auth and messages middleware) gives such a request an ``AnonymousUser`` and a cookie-only message
store up front. Rendering a page then never opens the session: the response sets no cookie and
does not vary on Cookie, and any cache may keep it.

Pages served to such visitors (Wagtail pages and the community feed, ``PADDOCK_PAGE_CACHE_VIEWS``)
are kept in the default cache (Redis in production) for ``PADDOCK_PAGE_CACHE_SECONDS``, keyed by
scheme, host (so each showroom has its own copies) and full path. A response is kept only when
nothing in it belongs to one visitor: status 200, no cookie set, no CSRF token rendered, the
session untouched, no message added, not marked private/no-store, no ``Vary: Cookie``.

Forms on visitors' pages: the accessory lead form is rendered for visitors with an empty
``csrfmiddlewaretoken`` (so the page is the same for everyone); static/js/paddock.js fetches a
token from ``/csrf/`` (paddock/csrf.py: ``private, no-store``, sets the CSRF cookie) on the form's
first focus or when it is sent, and without JavaScript ``accessories.views.lead_send`` shows the
form again, kept, with a fresh token, to send again. Members get the token inline. Every other
visitor page kind (home, standard, club index and club, event index and event, accessory index,
accessory, showcase, the community feed) renders no token for visitors.

A hit costs one cache round trip, and runs before the session, CSRF, auth and messages
middleware: ``PageCacheHitMiddleware`` (just after SecurityMiddleware, the CSP and WhiteNoise)
reads the current generation and the page in one MGET. The generation is kept in the entry, not
in its key, so both keys are known before either is read; an entry of an older generation is a
miss (and is overwritten). There is no per-process memo of the generation across requests: every
request reads it, so a clear made by any process counts for the very next request everywhere.

Only a miss (or a member's request) goes on to ``AnonymousPageMiddleware``. It keeps the
generation read at the request's start (from that MGET, or one GET for a member) for the
request's ``shared`` lookups (its Site, the showroom's settings, the menus): one round trip each
instead of two. That memo is a context variable set only while the request is served and reset
after it (``page_cache_clear`` in the same request updates it), so it is never older than the
request: a clear made by another process while a request renders counts from the next request.

Invalidation: publishing, unpublishing, moving or deleting a page, and saving a showroom's settings
or a Site, start a new cache generation (``page_cache_clear``): every cached page is dropped at
once. What members do (RSVPs, posts, comments, reactions) shows to visitors within the TTL; the
default of 60 s is the staleness accepted for "places left" and the latest posts. Signed-in members
never get a cached page.

When the cache is away (Redis down: paddock/cache.py turns reads into misses), the generation is
unknown and every page renders uncached, as for a member; nothing is written until Redis is back.
"""

import hashlib
import pickle
import threading
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, has_vary_header, patch_cache_control

GENERATION_KEY = "paddock:pagecache:generation"
HIT_HEADER = "X-Paddock-Cache"
# The generation read at the start of the request being served (AnonymousPageMiddleware), for the
# ``shared`` lookups it makes (Site, settings, menus): one read a request, not one per lookup.
# Set only while a request is served and reset after it, so it is never older than the request.
_request_generation: ContextVar[str | None] = ContextVar("paddock_generation", default=None)


def page_cache_seconds() -> int:
    return int(getattr(settings, "PADDOCK_PAGE_CACHE_SECONDS", 0) or 0)


def page_cache_clear() -> None:
    """Drop every cached page (a new generation; the old entries expire on their own)."""
    generation = uuid.uuid4().hex
    cache.set(GENERATION_KEY, generation, timeout=None)
    if _request_generation.get() is not None:  # the rest of this request sees its own change
        _request_generation.set(generation)


def _generation() -> str | None:
    """The current generation, or None when the cache cannot tell (Redis is away): then nothing
    is read from or written to the page cache, and pages render uncached."""
    memo = _request_generation.get()
    if memo is not None:
        return memo
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            # Another process started one meanwhile (read it), or the cache is away (None).
            generation = cache.get(GENERATION_KEY)
    return generation


def generation_of_pages() -> str | None:
    """The current generation (None: the cache cannot tell). Members' shared page bodies
    (community/page_parts.py) are kept under it too, so they go when the cached pages go."""
    return _generation()


# ``shared(..., memo=True)``: small immutable values (id sets, paths) this process keeps for the
# generation they were read in; only the current generation's are kept (a new one empties it).
MEMO_MAX_ENTRIES = 5000
_memo: dict[str, object] = {}
_memo_generation: list[str | None] = [None]
_memo_lock = threading.Lock()


def _memo_get(generation: str, name: str):
    if _memo_generation[0] != generation:
        return _MISSING
    return _memo.get(name, _MISSING)


def _memo_put(generation: str, name: str, value) -> None:
    with _memo_lock:
        if _memo_generation[0] != generation or len(_memo) >= MEMO_MAX_ENTRIES:
            _memo.clear()
            _memo_generation[0] = generation
        _memo[name] = value


_MISSING = object()


def shared(name: str, build, *, memo: bool = False):
    """``build()``, kept in the cache until the next generation (the same events that clear cached
    pages): the request's Site, a showroom's settings, its menus, the private sections. Off (always
    ``build()``) when the page cache is off, as in the tests and locally, or the cache is away.
    In a request, the generation is the one read at its start: one round trip per lookup.

    ``memo``: also keep it in this process's memory for the generation, so that the next requests
    of this worker read no cache for it. Only for small values nobody changes (ids, paths, tuples,
    never model instances: threads share them). The generation is still read once per request, so
    a clear made by any process counts from the next request, as for the cache."""
    if page_cache_seconds() <= 0:
        return build()
    generation = _generation()
    if generation is None:
        return build()
    if memo:
        found = _memo_get(generation, name)
        if found is not _MISSING:
            return found
    key = f"paddock:shared:{generation}:{name}"
    hit = cache.get(key)
    if hit is None:
        hit = (build(),)
        cache.set(key, hit, timeout=3600)
    if memo:
        _memo_put(generation, name, hit[0])
    return hit[0]


def _prefill_site(request) -> None:
    """Wagtail looks up the request's Site, and the sites' root paths for the page links it
    builds, once per request; take both from this process's memory for the generation (the
    Site kept pickled, so each request gets its own copy)."""
    from wagtail.models import Site

    if page_cache_seconds() <= 0 or hasattr(request, "_wagtail_site"):
        return
    host = f"{request._get_raw_host()}:{request.get_port()}"
    digest = hashlib.sha256(host.encode()).hexdigest()[:32]

    def find() -> bytes:
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page.specific  # noqa: B018 (kept with it: Wagtail routes from the specific page)
        return pickle.dumps(site, protocol=pickle.HIGHEST_PROTOCOL)

    request._wagtail_site = pickle.loads(shared(f"site:{digest}", find, memo=True))
    request._wagtail_cached_site_root_paths = shared(
        "site-root-paths", lambda: tuple(Site.get_site_root_paths()), memo=True
    )


def is_sessionless(request) -> bool:
    """No session cookie and no messages cookie: the visitor is anonymous, with nothing pending."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.META.get("HTTP_AUTHORIZATION")
    )


def _cache_key(request) -> str:
    """The page's key: scheme, host and full path. The generation is not in the key but in the
    entry, so one MGET reads both the current generation and the page (one round trip a hit)."""
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"paddock:page:{hashlib.sha256(url.encode()).hexdigest()}"


def _lookup(request) -> tuple[str | None, tuple | None]:
    """(generation, the cached page if it belongs to that generation) in one round trip; the
    generation is None when the cache cannot tell (Redis away): nothing is read or kept then."""
    key = _cache_key(request)
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:  # none started yet (or Redis is away): start one, nothing is cached
        return _generation(), None
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return generation, entry[1:]
    return generation, None


def _view_is_cacheable(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in settings.PADDOCK_PAGE_CACHE_VIEWS


def _response_is_shareable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # a form with this visitor's CSRF token
        return False
    session = getattr(request, "session", None)
    if session is not None and (session.accessed or session.modified):
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and (messages.added_new or messages.used):
        return False
    if has_vary_header(response, "Cookie"):
        return False
    directives = {
        d.split("=")[0].strip().lower()
        for d in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return not directives & {"private", "no-store", "no-cache"}


def _cacheable_request(request) -> bool:
    return request.method == "GET" and page_cache_seconds() > 0 and is_sessionless(request)


class PageCacheHitMiddleware:
    """Serves a visitor's cached page before the session, CSRF, auth and messages middleware run
    (they have nothing to do for it): one MGET, then the stored bytes. Placed right after
    SecurityMiddleware, the CSP and WhiteNoise, whose headers every response gets; the headers of
    the middleware inside (X-Frame-Options...) were stored with the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        generation, hit = _lookup(request)
        request._paddock_generation = generation
        if hit is None:
            return self.get_response(request)
        content, status, headers = hit
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["Content-Length"] = str(len(content))
        response[HIT_HEADER] = "hit"
        return response


class AnonymousPageMiddleware:
    """A visitor's request (no session cookie) gets an anonymous user and a cookie-only message
    store without opening the session; a visitor's page that is the same for everyone is kept
    for ``PageCacheHitMiddleware`` to serve."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if page_cache_seconds() <= 0:
            return self._serve(request)
        generation = getattr(request, "_paddock_generation", None) or _generation()
        memo = _request_generation.set(generation)
        try:
            return self._serve(request)
        finally:
            _request_generation.reset(memo)

    def _serve(self, request):
        _prefill_site(request)
        if not is_sessionless(request):
            return self.get_response(request)
        # Nobody is signed in without a session cookie: say so without opening the session.
        request.user = AnonymousUser()
        request._messages = CookieStorage(request)
        generation = getattr(request, "_paddock_generation", None)
        response = self.get_response(request)
        if (
            generation is not None
            and _cacheable_request(request)
            and _view_is_cacheable(request)
            and _response_is_shareable(request, response)
        ):
            seconds = page_cache_seconds()
            # Browsers check back each time; a shared cache in front may keep it for the TTL
            # (configure it to pass requests carrying the session cookie straight through).
            patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
            entry = (generation, response.content, response.status_code, list(response.items()))
            cache.set(_cache_key(request), entry, seconds)
            response[HIT_HEADER] = "miss"
        return response


def _clear_on_change(sender=None, **kwargs):
    page_cache_clear()


def _clear_on_settings_change(sender=None, created=False, **kwargs):
    # A showroom's settings row is created with its defaults on first use, by a page that is
    # rendering with those defaults already: nothing shown changes.
    if not created:
        page_cache_clear()


def connect_signals(*, settings_model) -> None:
    """Invalidate on what changes public pages for everyone: publishing, moves, sites, images and
    ``settings_model``, the showrooms' settings (called by CommunityConfig.ready, which owns it)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(_clear_on_change, dispatch_uid="paddock.pagecache.published")
    page_unpublished.connect(_clear_on_change, dispatch_uid="paddock.pagecache.unpublished")
    post_page_move.connect(_clear_on_change, dispatch_uid="paddock.pagecache.moved")
    post_delete.connect(_clear_on_change, sender=Page, dispatch_uid="paddock.pagecache.deleted")
    post_save.connect(
        _clear_on_settings_change, sender=settings_model, dispatch_uid="paddock.pagecache.ds"
    )
    post_save.connect(_clear_on_change, sender=Site, dispatch_uid="paddock.pagecache.site")
    for model in (PageViewRestriction, get_image_model()):
        post_save.connect(_clear_on_change, sender=model, dispatch_uid=f"paddock.pagecache.{model}")
    for model in (settings_model, Site, PageViewRestriction):
        post_delete.connect(
            _clear_on_change, sender=model, dispatch_uid=f"paddock.pagecache.{model}.delete"
        )
