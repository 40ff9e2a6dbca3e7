"""Every kind of staff screen holds up on a phone (390 px) and on a desktop (1280 px), in Chromium.

For each screen and width: the content is no wider than the screen, no tap target is under 24 px,
no word breaks in the middle, and axe finds nothing serious.

Wagtail's admin never lets the document itself grow wider than the viewport: its content area
(``main``) clips what sticks out (``overflow-x: hidden``). So besides ``layout_problems`` (the
document's width, and tap targets within ``main``, Wagtail's header included), each screen is
checked for content clipped by, or scrolling sideways inside, the content area. What is not shown
does not count: screen-reader-only text, and Wagtail's closed side panels and bulk-action bar
(``visibility: hidden``), buttons shown only on hover (``opacity: 0``). Wagtail's breadcrumbs
scroll sideways by design and its minimap peeks in from the right edge: both are left out of that
check (their links still count as tap targets).

Fast by construction: the demo is seeded once for the module behind its own live server (as in
test_accessibility.py, whose helpers this reuses), one signed-in browser context serves every
test, and each screen is loaded once per width for both of its tests. The tests only look: nothing
they do changes what the next one sees. ``PADDOCK_SCREENSHOTS=1`` saves every screen to
test-results/ (failing ones are always saved).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import (
    DEMO_PASSWORD,
    MEMBER,
    STAFF,
    DemoSite,
    _ensure_site_tree,
    _restore_database,
    describe,
)
from tests.support.layout import layout_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE, DESKTOP = 390, 1280
BLOCKING_IMPACTS = {"serious", "critical"}
# Wagtail's rich text editor (Draftail) gives its editable area no accessible name of its own (its
# field's label points at a hidden input): Wagtail's, not ours, so axe leaves it out.
AXE_CONTEXT = {"exclude": [[".DraftEditor-root"]]}

# Content clipped by the admin's content area or scrolling sideways inside it, and words broken
# across lines. Returns readable problems, like layout_problems.
_CONTENT_JS = r"""
(rootSelector) => {
  const root = document.querySelector(rootSelector);
  if (!root) return [`no element matches ${rootSelector}`];
  const problems = [];
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const cls = (el.getAttribute('class') || '').trim().split(/\s+/).filter(Boolean).slice(0, 3);
    if (cls.length) s += '.' + cls.join('.');
    const text = (el.innerText || '').trim().replace(/\s+/g, ' ');
    if (text) s += ` "${text.slice(0, 40)}"`;
    return s;
  };
  const CHROME = '.w-breadcrumbs, .w-minimap';
  const shown = (el) => {
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || st.display === 'none' || st.opacity === '0') return false;
    if (el.closest('[aria-hidden=true], [hidden]')) return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false;  // screen-reader-only text
    for (let a = el; a && a !== root; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.clipPath !== 'none' && s.clipPath !== '' || s.clip && s.clip !== 'auto') return false;
    }
    return true;
  };
  const clips = (el) => !['visible', 'clip'].includes(getComputedStyle(el).overflowX) || el === root;
  // Every shown element must lie within its nearest clipping or scrolling box, left and right.
  const offenders = new Map();
  for (const el of root.querySelectorAll('*')) {
    if (el.closest(CHROME) || !shown(el)) continue;
    let box = el.parentElement;
    while (box && box !== root && !clips(box)) box = box.parentElement;
    if (!box) continue;
    const left = box.getBoundingClientRect().left + box.clientLeft;
    const r = el.getBoundingClientRect();
    if (r.right > left + box.clientWidth + 1 || r.left < left - 1) {
      if (!offenders.has(box)) offenders.set(box, []);
      const list = offenders.get(box);
      if (!list.some((o) => o.contains(el))) list.push(el);
    }
  }
  for (const [box, els] of offenders) {
    problems.push(`${els.length} element(s) stick out of ${describe(box)} (${box.clientWidth}px): ` +
      els.slice(0, 4).map((el) => {
        const r = el.getBoundingClientRect();
        return `${describe(el)} (from ${Math.round(r.left)}px to ${Math.round(r.right)}px)`;
      }).join(', '));
  }
  // Words broken across lines (letters only: addresses and codes may break where they must).
  const broken = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(CHROME) || !shown(parent)) continue;
    const re = /\S+/g;
    for (let m = re.exec(node.textContent); m; m = re.exec(node.textContent)) {
      const word = m[0].replace(/^[("'“‘]+|[)"'”’.,:;!?]+$/g, '');
      if (!/^[A-Za-z]{2,}$/.test(word)) continue;
      const start = m.index + m[0].indexOf(word);
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, start + word.length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      if (rects.some((r) => Math.abs(r.top - rects[0].top) > 2)) broken.push(`"${word}" in ${describe(parent)}`);
    }
  }
  if (broken.length) problems.push(`${broken.length} word(s) broken mid-word: ${broken.slice(0, 5).join('; ')}`);
  return problems;
}
"""


def _add_sales_leads() -> None:
    """Beside the demo's sales leads (one of each kind, none failed), a next-car enquiry of the
    demo member's whose CRM mail failed, for the "Send to the CRM again" screen."""
    from community.models import Member, SalesLead

    member = Member.objects.get(email=MEMBER)
    SalesLead.objects.create(
        kind="next_car",
        member=member,
        name=member.display_name,
        email=member.email,
        timeframe="soon",
        message="Something with more room for the dog.",
        crm_error="ADF needs a car (year, make and model): the lead names no car and no model.",
    )


def _staff_paths() -> dict[str, str]:
    """Every kind of staff screen, on the demo's content."""
    from django.urls import reverse
    from wagtail.models import Page

    from accessories.models import Lead
    from community.models import LoungeImport, Member, Post, SalesLead
    from events.models import EventIndexPage, EventPage

    coffee = EventPage.objects.get(slug="cars-and-coffee-on-the-quay")
    track_day = EventPage.objects.get(slug="castle-combe-track-day")
    lounge = LoungeImport.objects.order_by("-day").first()
    member = Member.objects.get(email=MEMBER)
    pending = Post.objects.filter(status=Post.Status.PENDING).order_by("pk").first()
    home = Page.objects.get(depth=2)
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "owner_card": reverse("staff:owner_card", args=[member.pk]),
        "lounge_day": f"{reverse('staff:lounge')}?day={lounge.day:%Y-%m-%d}",
        "lounge_upload": reverse("staff:lounge_upload"),
        "lounge_import": reverse("staff:lounge_review", args=[lounge.pk]),
        "moderation": reverse("moderation:index"),
        "post_edit": reverse("moderation:edit", args=[pending.pk]),
        "comments": "/admin/comment/",
        "member_reports": "/admin/report/",
        "memberships": "/admin/membership/",
        "outbox": reverse("outbox:index"),
        "rsvps": reverse("event_rsvps:index"),
        "rsvps_of_event": f"{reverse('event_rsvps:index')}?event={track_day.pk}",
        "rsvp_add": f"{reverse('event_rsvps:add')}?event={coffee.pk}",
        "capacity": reverse("event_rsvps:capacity", args=[track_day.pk]),
        "invite": reverse("event_rsvps:invite", args=[coffee.pk]),
        "checkin": reverse("events:checkin", kwargs={"event_id": track_day.pk}),
        "waivers": reverse("event_waivers:index"),
        "all_leads": reverse("all_leads:index"),
        "sales_lead_failed": reverse(
            "sales_leads:edit", args=[SalesLead.objects.exclude(crm_error="").get().pk]
        ),
        "leads": reverse("accessory_leads:index"),
        "lead_edit": reverse("accessory_leads:edit", args=[Lead.objects.order_by("pk")[0].pk]),
        "report_attendance": reverse("staff:report_attendance"),
        "report_growth": reverse("staff:report_growth"),
        "report_clubs": reverse("staff:report_clubs"),
        "report_leads": reverse("staff:report_leads"),
        "report_invitations": reverse("staff:report_invitations"),
        "users": reverse("wagtailusers_users:index"),
        "pages": reverse("wagtailadmin_explore", args=[home.pk]),
        "events_pages": reverse("wagtailadmin_explore", args=[EventIndexPage.objects.get().pk]),
        "event_edit": reverse("wagtailadmin_pages:edit", args=[coffee.pk]),
    }


def _invitation_texts_with_receipts() -> None:
    """The coffee morning's invitations went out by text too: some delivered, some not, some
    still awaiting a receipt, one queued and one refused, so the invite screen shows its texts
    line with every figure."""
    from django.utils import timezone

    from community.models import OutboundText
    from events.models import EventPage
    from events.texts import TEXT_KIND

    coffee = EventPage.objects.get(slug="cars-and-coffee-on-the-quay")
    now = timezone.now()
    Sent, Receipt = OutboundText.Status, OutboundText.Delivery
    rows = [(Sent.SENT, Receipt.DELIVERED)] * 118 + [(Sent.SENT, Receipt.UNDELIVERED)] * 7
    rows += [(Sent.SENT, Receipt.FAILED)] * 3 + [(Sent.SENT, Receipt.NONE)] * 12
    rows += [(Sent.QUEUED, Receipt.NONE)] * 4 + [(Sent.FAILED, Receipt.NONE)] * 2
    OutboundText.objects.bulk_create(
        OutboundText(
            kind=TEXT_KIND,
            subject=f"event:{coffee.pk}",
            to=f"+4479{n:08d}",
            body="Paddock Motors: Cars & Coffee on the Quay. Going? Reply YES or NO.",
            send_after=now,
            status=status,
            delivery=delivery,
            sent_at=now if status == Sent.SENT else None,
        )
        for n, (status, delivery) in enumerate(rows)
    )


SCREENS = [
    "dashboard",
    "owner_card",
    "lounge_day",
    "lounge_upload",
    "lounge_import",
    "moderation",
    "post_edit",
    "comments",
    "member_reports",
    "memberships",
    "outbox",
    "rsvps",
    "rsvps_of_event",
    "rsvp_add",
    "capacity",
    "invite",
    "checkin",
    "waivers",
    "all_leads",
    "sales_lead_failed",
    "leads",
    "lead_edit",
    "report_attendance",
    "report_growth",
    "report_clubs",
    "report_leads",
    "report_invitations",
    "users",
    "pages",
    "events_pages",
    "event_edit",
]


@pytest.fixture(scope="module")
def staff_media(tmp_path_factory):
    return tmp_path_factory.mktemp("staff-media")


@pytest.fixture(scope="module")
def staff_site(django_db_setup, django_db_blocker, staff_media):
    """The demo, seeded once into the test database, behind a live server of its own."""
    from django.db import connection
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    from demo.seed import seed_demo

    media = override_settings(
        MEDIA_ROOT=staff_media / "media",
        PADDOCK_PHOTO_ROOT=staff_media / "photos",
        MAILBOX_DIR=staff_media / "mail",
    )
    with django_db_blocker.unblock(), media:
        before = connection.creation.serialize_db_to_string()
        try:
            _ensure_site_tree()
            seed_demo()
            _invitation_texts_with_receipts()
            _add_sales_leads()
            paths = _staff_paths()
            server = LiveServer("localhost")
            try:
                yield DemoSite(url=server.url, paths=paths)
            finally:
                server.stop()
        finally:
            _restore_database(before)


@pytest.fixture(autouse=True)
def _staff_media_root(_media_root, settings, staff_media):
    """Serve the demo's files: the suite's per-test media folders would be empty."""
    settings.MEDIA_ROOT = staff_media / "media"
    settings.PADDOCK_PHOTO_ROOT = staff_media / "photos"
    settings.MAILBOX_DIR = staff_media / "mail"


@pytest.fixture(scope="module")
def staff_tab(browser, staff_site):
    """One browser tab, signed in as the demo's staff member, for the whole module."""
    from tests.support.browser import DEFAULT_TIMEOUT_MS

    context = browser.new_context(viewport={"width": PHONE, "height": 844})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    tab = context.new_page()
    tab.goto(f"{staff_site.url}/admin/login/")
    tab.get_by_label("Email").fill(STAFF)
    tab.get_by_label("Password").fill(DEMO_PASSWORD)
    tab.get_by_role("button", name=re.compile(r"sign in", re.I)).click()
    expect(tab).to_have_url(re.compile(r"/admin/$"))
    yield tab
    context.close()


@dataclass
class OpenScreen:
    tab: object
    name: str
    width: int


@pytest.fixture(
    scope="module",
    params=[(screen, width) for screen in SCREENS for width in (PHONE, DESKTOP)],
    ids=[
        f"{screen}-{'phone' if width == PHONE else 'desktop'}"
        for screen in SCREENS
        for width in (PHONE, DESKTOP)
    ],
)
def staff_screen(request, staff_tab, staff_site):
    """A staff screen open at one width. Module-scoped, so pytest runs every test of one screen
    and width in a row on a single load of it."""
    screen, width = request.param
    staff_tab.set_viewport_size({"width": width, "height": 844})
    response = staff_tab.goto(staff_site.url + staff_site.paths[screen])
    assert response.status == 200, f"{staff_tab.url} answered {response.status}"
    assert urlsplit(staff_tab.url).path == urlsplit(staff_site.paths[screen]).path, "redirected"
    staff_tab.wait_for_load_state("networkidle")
    return OpenScreen(tab=staff_tab, name=screen, width=width)


def _save_screenshot(tab, request) -> None:
    """The whole screen (Wagtail scrolls inside ``main``, so the window is made that tall)."""
    from tests.support.browser import screenshot_path

    size = tab.viewport_size
    height = tab.evaluate(
        "() => Math.max(document.documentElement.scrollHeight, ...[...document.querySelectorAll("
        "'main')].map((m) => m.scrollHeight + m.getBoundingClientRect().top))"
    )
    tab.set_viewport_size({"width": size["width"], "height": min(int(height), 8000)})
    path = screenshot_path(request.node.nodeid)
    path.parent.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(path))
    tab.set_viewport_size(size)
    print(f"Screenshot: {path}")


def test_staff_screen_fits_the_screen(staff_screen, request):
    tab = staff_screen.tab
    root = "main" if urlsplit(tab.url).path.startswith("/admin/") else "body"

    problems = layout_problems(tab, within=root) + tab.evaluate(_CONTENT_JS, root)

    if problems or os.environ.get("PADDOCK_SCREENSHOTS"):
        _save_screenshot(tab, request)
    assert not problems, f"{tab.url} at {staff_screen.width}px:\n" + "\n".join(problems)


def test_staff_screen_has_no_serious_axe_violations(staff_screen):
    from axe_playwright_python.sync_playwright import Axe

    tab = staff_screen.tab

    violations = Axe().run(tab, context=AXE_CONTEXT).response["violations"]

    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe on {tab.url}:\n" + "\n".join(describe(v) for v in blocking)
