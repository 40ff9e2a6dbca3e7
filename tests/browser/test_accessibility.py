"""axe-core finds no serious or critical accessibility problem on any kind of page, in Chromium.

Every page kind is checked anonymously (where a visitor can see it) and as the demo member, plus
the check-in page as staff and the club manage page as an organiser, on the full demo content.

One database for the whole module: ``seed_demo()`` takes seconds, and pytest-django's
``live_server`` flushes the database after every test, so seeding per test would cost about a
minute and a half. Instead a module-scoped fixture seeds the test database once (committed, so the
server thread sees it) and starts its own live server thread. When the module is done it puts the
database back as it found it, as Django's ``serialized_rollback`` does: it serialises the rows
before seeding, flushes, loads them again and resets the sequences. pytest-django runs these tests
among the ``db`` tests (they carry the plain ``django_db`` marker, which is also what makes it create
the test database), and the tests after them still find the rows the data migrations made.

The tests browse, log in (which writes only a session and the last-login time) and submit one form
that fails validation, so no test changes what the next one sees. They make no queries themselves:
every URL is worked out while seeding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

# The django_db marker makes pytest-django create the test database (see the module docstring).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DEMO_PASSWORD = "paddock-demo"
MEMBER = "member@paddock.localhost"
STAFF = "staff@paddock.localhost"
ORGANISER = "marcus.bell@paddock.localhost"  # organises the Cooper S Owners club in the demo
BLOCKING_IMPACTS = {"serious", "critical"}


@dataclass
class DemoSite:
    url: str
    paths: dict[str, str] = field(default_factory=dict)


def _ensure_site_tree() -> None:
    """The root page, home page and default Site a flushed database has lost (as ``site_tree``)."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page, Site

    from community.models import HomePage

    if Site.objects.filter(is_default_site=True).exists():
        return
    locale = Locale.objects.order_by("pk").first() or Locale.objects.create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", draft_title="Root", slug="root", locale=locale)
    )
    home = HomePage.objects.filter(depth=2).first() or root.add_child(
        instance=HomePage(title="Home", draft_title="Home", slug="home", locale=locale)
    )
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Paddock"
    )


def _demo_paths() -> dict[str, str]:
    from django.urls import reverse

    from accessories.models import AccessoryIndexPage, AccessoryPage, ShowcasePage
    from community.models import ClubIndexPage, ClubPage, Member, Post
    from community.selectors import post_visible_to
    from events.models import EventIndexPage, EventPage

    story = Post.objects.get(featured=True)
    albums = Post.objects.filter(kind=Post.Kind.ALBUM, status=Post.Status.PUBLISHED).order_by("pk")
    album = next(p for p in albums if post_visible_to(post=p, viewer=None))
    club = ClubPage.objects.get(slug="cooper-s-owners")
    track_day = EventPage.objects.get(slug="castle-combe-track-day")
    coffee = EventPage.objects.get(slug="cars-and-coffee-on-the-quay")
    accessories = AccessoryIndexPage.objects.get()
    return {
        "accessories_index": accessories.url,
        "accessory": AccessoryPage.objects.get(slug="jcw-roof-spoiler").url,
        "showcase": ShowcasePage.objects.get(slug="winter-kit").url,
        "checkin_pickups": reverse("events:checkin", kwargs={"event_id": coffee.pk}),
        "home": "/",
        "feed": reverse("community:feed"),
        "post_story": reverse("community:post", args=[story.pk]),
        "post_album": reverse("community:post", args=[album.pk]),
        "clubs_index": ClubIndexPage.objects.get().url,
        "club": club.url,
        "club_manage": reverse("community:club_manage", kwargs={"club_id": club.pk}),
        "events_index": EventIndexPage.objects.get().url,
        "event": EventPage.objects.get(slug="cars-and-coffee-on-the-quay").url,
        "event_track_day": track_day.url,
        "event_drive": EventPage.objects.get(slug="dartmoor-breakfast-drive").url,
        "event_series": EventPage.objects.filter(series__title="Thursday Night Meet")
        .order_by("start")
        .first()
        .url,
        "checkin": reverse("events:checkin", kwargs={"event_id": track_day.pk}),
        "my_events": reverse("events:my_events"),
        "garage": reverse("community:garage"),
        "car_add": reverse("community:car_add"),
        "profile": Member.objects.get(email=MEMBER).get_absolute_url(),
        "account_settings": reverse("community:profile_edit"),
        "signup": reverse("account_signup"),
        "login": reverse("account_login"),
        "password_reset": reverse("account_reset_password"),
        "not_found": "/no-such-page-here/",
    }


def _restore_database(serialized: str) -> None:
    """Empty the database and load back ``serialized`` (from ``serialize_db_to_string``)."""
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(serialized)
    models = [model for config in apps.get_app_configs() for model in config.get_models()]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("a11y-media")


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, demo_media):
    """The demo, seeded once into the test database, behind a live server of its own."""
    from django.db import connection
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    from demo.seed import seed_demo

    media = override_settings(
        MEDIA_ROOT=demo_media / "media",
        PADDOCK_PHOTO_ROOT=demo_media / "photos",
        MAILBOX_DIR=demo_media / "mail",
    )
    with django_db_blocker.unblock(), media:
        before = connection.creation.serialize_db_to_string()
        try:
            _ensure_site_tree()
            seed_demo()
            paths = _demo_paths()
            server = LiveServer("localhost")
            try:
                yield DemoSite(url=server.url, paths=paths)
            finally:
                server.stop()
        finally:
            _restore_database(before)


@pytest.fixture(autouse=True)
def _demo_media_root(_media_root, settings, demo_media):
    """Serve the demo's photos: the suite's per-test media folders would be empty."""
    settings.MEDIA_ROOT = demo_media / "media"
    settings.PADDOCK_PHOTO_ROOT = demo_media / "photos"
    settings.MAILBOX_DIR = demo_media / "mail"


def log_in(page, site: DemoSite, email: str) -> None:
    # In every test: with SQLite in memory the server shares the test's connection, so the session
    # row a login writes is rolled back with the test's transaction and cannot be reused.
    page.goto(site.url + site.paths["login"])
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile(r"sign in|log in", re.I)).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def submit_car_form_empty(page) -> None:
    """Submit the add-car form with nothing filled in, past the browser's own checks."""
    button = page.get_by_role("button", name="Add to my garage")
    button.evaluate("button => { button.form.noValidate = true; }")
    button.click()
    page.wait_for_load_state()
    expect(page.locator(".errorlist, [aria-invalid='true']").first).to_be_visible()


def submit_lead_form_empty(page) -> None:
    """Send the accessory's "Ask the parts team" form with nothing filled in."""
    page.locator("form[data-lead-form]").get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    expect(page.locator("#ask .errorlist").first).to_be_visible()


# (test id, who, page, what to do before the check)
CASES = [
    ("home", None, "home", None),
    ("community_feed", None, "feed", None),
    ("post_story", None, "post_story", None),
    ("post_album", None, "post_album", None),
    ("clubs_index", None, "clubs_index", None),
    ("club_page", None, "club", None),
    ("events_index", None, "events_index", None),
    ("event_page", None, "event", None),
    ("event_track_day", None, "event_track_day", None),
    ("staff_event_drive_route_map", STAFF, "event_drive", None),
    ("profile", None, "profile", None),
    ("signup", None, "signup", None),
    ("login", None, "login", None),
    ("password_reset", None, "password_reset", None),
    ("not_found", None, "not_found", None),
    ("member_home", MEMBER, "home", None),
    ("member_community_feed", MEMBER, "feed", None),
    ("member_post_story", MEMBER, "post_story", None),
    ("member_post_album", MEMBER, "post_album", None),
    ("member_clubs_index", MEMBER, "clubs_index", None),
    ("member_club_page", MEMBER, "club", None),
    ("member_events_index", MEMBER, "events_index", None),
    ("member_event_page", MEMBER, "event", None),
    ("member_event_track_day_rsvp_form", MEMBER, "event_track_day", None),
    ("member_my_events", MEMBER, "my_events", None),
    ("member_garage", MEMBER, "garage", None),
    ("member_car_add", MEMBER, "car_add", None),
    ("member_car_add_with_errors", MEMBER, "car_add", submit_car_form_empty),
    ("member_profile", MEMBER, "profile", None),
    ("member_account_settings", MEMBER, "account_settings", None),
    ("member_not_found", MEMBER, "not_found", None),
    ("staff_checkin", STAFF, "checkin", None),
    ("accessories_index", None, "accessories_index", None),
    ("accessory_page", None, "accessory", None),
    ("accessory_lead_form_with_errors", None, "accessory", submit_lead_form_empty),
    ("showcase_page", None, "showcase", None),
    ("member_accessories_index", MEMBER, "accessories_index", None),
    ("member_accessory_page", MEMBER, "accessory", None),
    ("staff_checkin_with_pickups", STAFF, "checkin_pickups", None),
    ("organiser_club_manage", ORGANISER, "club_manage", None),
]


def describe(violation: dict) -> str:
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    more = len(violation["nodes"]) - 5
    return (
        f"[{violation['impact']}] {violation['id']}: {violation['help']} "
        f"({len(violation['nodes'])} element(s): {targets}{f' and {more} more' if more > 0 else ''})"
    )


@pytest.mark.parametrize(
    ("who", "page_name", "prepare"),
    [pytest.param(who, name, prepare, id=case) for case, who, name, prepare in CASES],
)
def test_page_has_no_serious_axe_violations(page, demo_site, who, page_name, prepare):
    from axe_playwright_python.sync_playwright import Axe

    if who:
        log_in(page, demo_site, who)
    response = page.goto(demo_site.url + demo_site.paths[page_name])
    expected_status = 404 if page_name == "not_found" else 200
    assert response.status == expected_status, f"{page.url} answered {response.status}"
    assert urlsplit(page.url).path == demo_site.paths[page_name], "redirected (not logged in?)"
    if prepare:
        prepare(page)

    violations = Axe().run(page).response["violations"]

    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    for violation in violations:
        if violation not in blocking:
            print("axe (not blocking):", describe(violation))
    assert not blocking, f"axe on {page.url}:\n" + "\n".join(describe(v) for v in blocking)
