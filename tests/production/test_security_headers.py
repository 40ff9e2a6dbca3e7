"""The header probe: every kind of page Paddock serves carries the security headers, under the
production settings that shape them (HSTS, secure cookies), and the public pages run no inline
script or style, so their Content-Security-Policy can forbid both.

tests/production/test_gunicorn.py checks the same headers come out of the real production settings.
"""

import re
from dataclasses import dataclass

import pytest
from django.urls import reverse

from tests.factories import PostFactory, club_index, event_index, make_club, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production_like(settings):
    """The values paddock/settings/production.py sets (SSL redirect aside: requests say secure)."""
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


@dataclass
class Probe:
    url: str
    status: int = 200
    who: str | None = None  # None, "member" or "staff"
    admin: bool = False


class _Site:
    """Builds only what the probed page needs (page-tree writes are the slow part)."""

    def __init__(self, site_tree, member, staff):
        self.site_tree, self.member, self.staff = site_tree, member, staff
        self._made = {}

    def _once(self, name, make):
        if name not in self._made:
            self._made[name] = make()
        return self._made[name]

    @property
    def club(self):
        return self._once("club", lambda: make_club(members=[self.member]))

    @property
    def event(self):
        return self._once("event", make_event)

    @property
    def about(self):
        from community.models import StandardPage

        return self._once(
            "about",
            lambda: self.site_tree.root_page.add_child(
                instance=StandardPage(title="About us", slug="about")
            ),
        )

    def probe(self, kind: str) -> Probe:
        from events.feeds import club_feed_token, member_feed_token
        from events.tokens import rsvp_link_token

        member = self.member
        probes = {
            "home": lambda: Probe("/"),
            "club_index": lambda: Probe(club_index().url),
            "club": lambda: Probe(self.club.url),
            "community_feed": lambda: Probe(reverse("community:feed")),
            "post": lambda: Probe(reverse("community:post", args=[PostFactory(author=member).pk])),
            "event_index": lambda: Probe(event_index().url),
            "event": lambda: Probe(self.event.url),
            "standard_page": lambda: Probe(self.about.url),
            "login": lambda: Probe(reverse("account_login")),
            "signup": lambda: Probe(reverse("account_signup")),
            "password_reset": lambda: Probe(reverse("account_reset_password")),
            "profile": lambda: Probe(member.get_absolute_url(), who="member"),
            "garage": lambda: Probe(reverse("community:garage"), who="member"),
            "my_events": lambda: Probe(reverse("events:my_events"), who="member"),
            "account_settings": lambda: Probe(reverse("community:profile_edit"), who="member"),
            "rsvp_link": lambda: Probe(
                reverse(
                    "events:rsvp_link",
                    args=[rsvp_link_token(event_id=self.event.pk, member_id=member.pk)],
                )
            ),
            "club_feed": lambda: Probe(
                reverse("events:club_feed", args=[self.club.pk])
                + f"?token={club_feed_token(member, self.club)}"
            ),
            "my_feed": lambda: Probe(reverse("events:my_feed", args=[member_feed_token(member)])),
            "theme_css": lambda: Probe(reverse("community:theme_css")),
            "sitemap": lambda: Probe("/sitemap.xml"),
            "health": lambda: Probe("/health/"),
            "not_found": lambda: Probe("/no-such-page-here/", status=404),
            "admin_login": lambda: Probe(reverse("wagtailadmin_login"), admin=True),
            "admin_dashboard": lambda: Probe(reverse("wagtailadmin_home"), who="staff", admin=True),
            "admin_page_editor": lambda: Probe(
                reverse("wagtailadmin_pages:edit", args=[self.about.pk]), who="staff", admin=True
            ),
        }
        return probes[kind]()


PAGE_KINDS = [
    "home",
    "club_index",
    "club",
    "community_feed",
    "post",
    "event_index",
    "event",
    "standard_page",
    "login",
    "signup",
    "password_reset",
    "profile",
    "garage",
    "my_events",
    "account_settings",
    "rsvp_link",
    "club_feed",
    "my_feed",
    "theme_css",
    "sitemap",
    "health",
    "not_found",
    "admin_login",
    "admin_dashboard",
    "admin_page_editor",
]
HTML_PUBLIC_KINDS = [
    kind
    for kind in PAGE_KINDS
    if not kind.startswith("admin")
    and kind not in ("club_feed", "my_feed", "theme_css", "sitemap", "health")
]


@pytest.fixture
def fetch(client, site_tree, member, staff):
    site = _Site(site_tree, member, staff)

    def get(kind: str):
        probe = site.probe(kind)
        if probe.who:
            client.force_login(member if probe.who == "member" else staff)
        response = client.get(probe.url, secure=True)
        assert response.status_code == probe.status, f"{probe.url}: {response.status_code}"
        return probe, response

    return get


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_page_kind_sends_the_security_headers(fetch, kind):
    _, response = fetch(kind)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    # Pages whose address carries a token (RSVP links) send no referrer at all.
    assert response["Referrer-Policy"] in ("same-origin", "no-referrer")
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] in ("DENY", "SAMEORIGIN")


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_page_kind_has_a_csp_without_inline_script_outside_the_admin(fetch, kind):
    probe, response = fetch(kind)
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    for values in csp.values():  # nothing from anywhere: no wildcards, no plain http
        assert "*" not in values and not any(v.startswith("http:") for v in values)
    if probe.admin:
        assert csp["frame-ancestors"] == ["'self'"]
    else:
        assert csp["script-src"] == ["'self'"]
        assert csp["style-src"] == ["'self'"]
        assert csp["frame-ancestors"] == ["'none'"]


INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I
)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


@pytest.mark.parametrize("kind", HTML_PUBLIC_KINDS)
def test_public_pages_have_no_inline_script_handler_or_style(fetch, kind):
    _, response = fetch(kind)
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html).group(0)
    assert not STYLE_ATTRIBUTE.search(html), STYLE_ATTRIBUTE.search(html).group(0)


def test_csrf_cookie_is_secure_and_http_only(client):
    response = client.get(reverse("account_login"), secure=True)
    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_session_cookie_is_secure_and_http_only(client, member):
    response = client.post(
        reverse("account_login"),
        {"login": member.email, "password": "correct-horse-battery"},
        secure=True,
    )
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_admin_preview_of_a_public_page_gets_the_admin_policy(rf):
    """Wagtail renders a preview through the middleware again for the page's own path, which sets
    the public policy (frame-ancestors 'none'); the admin's policy must win so the editor can
    frame its preview."""
    from django.http import HttpResponse

    from paddock.security import ContentSecurityPolicyMiddleware

    def page_rendered_for_preview(request):
        response = HttpResponse("<h1>Home</h1>")
        response["Content-Security-Policy"] = "frame-ancestors 'none'"
        return response

    middleware = ContentSecurityPolicyMiddleware(page_rendered_for_preview)
    response = middleware(rf.get("/admin/pages/3/edit/preview/"))
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_a_public_view_may_set_its_own_policy(rf):
    from django.http import HttpResponse

    from paddock.security import ContentSecurityPolicyMiddleware

    def view(request):
        response = HttpResponse("ok")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = ContentSecurityPolicyMiddleware(view)(rf.get("/some/file/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"
