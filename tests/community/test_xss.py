"""Stored XSS: hostile payloads posted by members never run, whichever field they arrive in.

The corpus (xss_payloads.txt, one payload a line) goes in as story titles and bodies, comments
(and commenters' names), album captions and club names and summaries. The browser tests open every
page that renders them in Chromium with an init script that turns alert/confirm/prompt/print and
``window.__xss = ...`` into reports, listen for dialogs, record requests to other hosts and look
for injected markup (``on*`` attributes, ``javascript:`` URLs, script/iframe/svg/... elements).
The other tests check the stored HTML and the text shown, without a browser.
"""

import re
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from community import services
from community.models import ClubPage, Post
from community.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, clean_html, text_to_html
from tests.factories import MemberFactory, club_index

PAYLOADS = [
    line
    for line in (Path(__file__).with_name("xss_payloads.txt")).read_text("utf-8").split("\n")
    if line.strip()
]
TITLE_MAX, CAPTION_MAX, NAME_MAX = 140, 300, 60

# Runs in every frame before any of the page's own scripts. Whatever a payload manages to call is
# reported to the test through a binding Playwright adds to every frame (cross-origin ones too).
WATCH_SCRIPT = """
(() => {
  const report = (what) => {
    try { window.__paddockXssHit(String(what) + " in " + location.href); } catch (e) {}
  };
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = function (...args) { report(name + "(" + args.join(",") + ")"); };
  }
  Object.defineProperty(window, "__xss", {
    configurable: false,
    get() { return undefined; },
    set(value) { report("window.__xss = " + value); },
  });
})();
"""

# Markup a member's text must never produce. Paddock's own templates use none of it.
# Waits a rendering frame first, so autofocus, toggle and timer handlers get their chance to fire.
INJECTED_MARKUP_SCRIPT = r"""
async () => {
  await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
  const found = [];
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "background",
                         "poster", "cite", "srcset", "srcdoc"];
  const foreign = ["IFRAME", "FRAME", "OBJECT", "EMBED", "APPLET", "BASE", "SVG", "MATH", "STYLE",
                   "TEMPLATE", "NOSCRIPT", "XMP", "PLAINTEXT", "MARQUEE", "VIDEO", "AUDIO",
                   "IMAGE", "ISINDEX", "KEYGEN", "DETAILS"];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toUpperCase();
    if (tag === "SCRIPT" && !(el.src && new URL(el.src).pathname.startsWith("/static/"))) {
      found.push("script: " + el.outerHTML.slice(0, 120));
    }
    if (foreign.includes(tag)) found.push("element: " + el.outerHTML.slice(0, 120));
    if (tag === "META" && el.httpEquiv) found.push("meta http-equiv: " + el.outerHTML);
    if (tag === "LINK" && !el.closest("head")) found.push("link: " + el.outerHTML);
    if (tag === "IMG") {
      const src = new URL(el.getAttribute("src") || "", location.href);
      if (src.origin !== location.origin || !/^\/(photos|media)\//.test(src.pathname)) {
        found.push("img: " + el.outerHTML.slice(0, 120));
      }
    }
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\u0000-\u0020]+/g, "").toLowerCase();
      if (name.startsWith("on")) found.push("handler: " + el.outerHTML.slice(0, 120));
      if (urlAttributes.includes(name) && /^(javascript|vbscript|data):/.test(value)) {
        found.push("url: " + el.outerHTML.slice(0, 120));
      }
      if (name === "style") found.push("style attribute: " + el.outerHTML.slice(0, 120));
    }
  }
  return found;
}
"""


class ScriptWatch:
    """Everything hostile that happened while the test browsed: calls, dialogs, outside requests."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.executed: list[str] = []
        self.outside_requests: list[str] = []
        self.injected: list[str] = []
        self.local = urlsplit(base_url).netloc
        page.expose_function("__paddockXssHit", self._ran)
        page.add_init_script(WATCH_SCRIPT)
        page.on("dialog", self._dialog)
        # A listener, not a route: intercepting every request would slow each page down a lot.
        page.on("request", self._request)

    def _ran(self, what: str) -> None:
        self.executed.append(what)

    def _dialog(self, dialog) -> None:
        self.executed.append(f"{dialog.type} dialog: {dialog.message}")
        dialog.dismiss()

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and parts.netloc != self.local:
            self.outside_requests.append(request.url)

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status == 200, f"{url} answered {response}"
        self.injected += [f"{url}: {what}" for what in self.page.evaluate(INJECTED_MARKUP_SCRIPT)]

    def assert_nothing_ran(self) -> None:
        assert self.executed == [], "Payloads ran:\n" + "\n".join(self.executed)
        assert self.outside_requests == [], "Requests left the site:\n" + "\n".join(
            self.outside_requests
        )
        assert self.injected == [], "Markup got through:\n" + "\n".join(self.injected)


@pytest.fixture
def no_first_post_moderation(settings):
    settings.PADDOCK_MODERATE_FIRST_POSTS = 0


@pytest.fixture
def author(db):
    return MemberFactory(display_name="Alex Author", email_community=False)


def hostile_stories(author):
    return [
        services.post_create(
            author=author, club=None, kind="story", title=payload[:TITLE_MAX], body=payload
        )
        for payload in PAYLOADS
    ]


def hostile_comments(author):
    """One story with every payload as a comment, each by a member named after another payload."""
    post = services.post_create(
        author=author, club=None, kind="story", title="Coast road", body="Then coffee."
    )
    for i, payload in enumerate(PAYLOADS):
        commenter = MemberFactory(
            display_name=PAYLOADS[-1 - i][:NAME_MAX].strip() or "x",
            email_community=False,
            profile_visibility="public",
        )
        services.comment_create(post=post, author=commenter, body=payload)
    return post


def jpeg(name: str):
    out = BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), "image/jpeg")


def hostile_albums(author, *, per_album: int = 20):
    """Albums whose photo captions are the payloads (20 photos an album, the most allowed)."""
    return [
        services.post_create(
            author=author,
            club=None,
            kind="album",
            title=f"Album {start // per_album + 1}",
            photos=[
                (jpeg(f"p{start + i}.jpg"), payload)
                for i, payload in enumerate(PAYLOADS[start : start + per_album])
            ],
        )
        for start in range(0, len(PAYLOADS), per_album)
    ]


def hostile_clubs():
    """Open, featured clubs named after the payloads, three a club: title, SEO title and summary."""
    index = club_index()
    slots = PAYLOADS + PAYLOADS[: -len(PAYLOADS) % 3]  # a whole number of clubs
    return [
        index.add_child(
            instance=ClubPage(
                title=slots[i].strip(),
                slug=f"club-{i}",
                seo_title=slots[i + 1].strip(),
                summary=slots[i + 2].strip(),
                access=ClubPage.Access.OPEN,
                featured=True,
            )
        )
        for i in range(0, len(slots), 3)
    ]


# --- The corpus and the stored HTML ---------------------------------------------------------------


def test_xss_corpus_has_at_least_100_distinct_payloads():
    assert len(set(PAYLOADS)) >= 100


# nh3 (ammonia) also keeps its default generic attributes, lang and title, on every tag: harmless.
GENERIC_ATTRIBUTES = {"lang", "title"}
SAFE_SCHEMES = ("http", "https", "mailto")
C0_AND_SPACE = "".join(map(chr, range(0x21)))


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in an attribute value (None for a relative URL)."""
    url = re.sub(r"[\t\n\r]", "", url.strip(C0_AND_SPACE)).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", url)
    return match.group(1) if match else None


@pytest.mark.parametrize(
    "payload", [pytest.param(p, id=f"payload{n:03d}") for n, p in enumerate(PAYLOADS, 1)]
)
def test_story_body_sanitising_hostile_payload_leaves_only_allowed_markup(payload):
    stored = clean_html(text_to_html(payload))
    soup = BeautifulSoup(stored, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name in ALLOWED_TAGS, stored
        allowed = GENERIC_ATTRIBUTES | ALLOWED_ATTRIBUTES.get(tag.name, set())
        assert set(tag.attrs) <= allowed | ({"rel"} if tag.name == "a" else set()), stored
        if "href" in tag.attrs:
            assert url_scheme(tag["href"]) in (None, *SAFE_SCHEMES), stored
    assert "<script" not in stored.lower()


ORM_BODY = (
    '<script>alert(1)</script><p onclick="alert(1)">x</p>'
    '<a href="javascript:alert(1)">link</a><img src=x onerror=alert(1)>'
)


def assert_sanitised(body: str) -> None:
    lowered = body.lower()
    assert "<script" not in lowered, body
    assert not re.search(r"\son\w+\s*=", lowered), body
    assert "javascript:" not in lowered, body
    assert "<img" not in lowered, body


def test_post_orm_create_with_script_and_handlers_is_stored_sanitised(author):
    post = Post.objects.create(author=author, title="T", body=ORM_BODY)
    assert_sanitised(Post.objects.values_list("body", flat=True).get(pk=post.pk))


def test_post_orm_bulk_create_with_script_and_handlers_is_stored_sanitised(author):
    Post.objects.bulk_create([Post(author=author, title=f"T{i}", body=ORM_BODY) for i in range(3)])
    bodies = list(Post.objects.values_list("body", flat=True))
    assert len(bodies) == 3
    for body in bodies:
        assert_sanitised(body)


def test_post_orm_queryset_update_with_script_is_stored_sanitised(author):
    post = Post.objects.create(author=author, title="T", body="<p>fine</p>")
    Post.objects.filter(pk=post.pk).update(body=ORM_BODY)
    assert_sanitised(Post.objects.values_list("body", flat=True).get(pk=post.pk))


def test_post_orm_bulk_update_with_script_is_stored_sanitised(author):
    post = Post.objects.create(author=author, title="T", body="<p>fine</p>")
    post.body = ORM_BODY
    Post.objects.bulk_update([post], ["body"])
    assert_sanitised(Post.objects.values_list("body", flat=True).get(pk=post.pk))


# --- What the pages show: payloads as plain text (no browser) ------------------------------------


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_post_detail_shows_hostile_titles_as_literal_text(client, author, no_first_post_moderation):
    shown = [
        soup_of(client.get(post.get_absolute_url())).h1.get_text()
        for post in hostile_stories(author)
    ]
    assert shown == [payload[:TITLE_MAX].strip() for payload in PAYLOADS]


@pytest.fixture(scope="class")
def _class_rows(django_db_setup, django_db_blocker):
    """Rows built once for a test class (as setUpTestData does) and rolled back after its last
    test; each test still runs in its own transaction on top. Member posts are published at once,
    as with ``no_first_post_moderation``."""
    from django.db import transaction
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(PADDOCK_MODERATE_FIRST_POSTS=0),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="class")
def commented_post(_class_rows):
    return hostile_comments(MemberFactory(display_name="Alex Author", email_community=False))


@pytest.fixture(scope="class")
def clubs(_class_rows):
    return hostile_clubs()


@pytest.mark.django_db
class TestHostileComments:
    """One story with every payload as a comment (``hostile_comments``), built once for both."""

    def test_post_detail_shows_hostile_comments_as_literal_text(
        self, client, commented_post, no_first_post_moderation
    ):
        soup = soup_of(client.get(commented_post.get_absolute_url()))
        comments = soup.select(".comment-list .comment > p:not(.comment__meta)")
        assert [p.get_text() for p in comments] == [payload.strip() for payload in PAYLOADS]

    def test_post_detail_shows_hostile_commenter_names_as_literal_text(
        self, client, commented_post, no_first_post_moderation
    ):
        soup = soup_of(client.get(commented_post.get_absolute_url()))
        names = [strong.get_text() for strong in soup.select(".comment__meta strong")]
        assert names == [p[:NAME_MAX].strip() or "x" for p in reversed(PAYLOADS)]


def test_album_shows_hostile_captions_as_literal_text_and_alt(
    client, author, no_first_post_moderation
):
    figures = []
    for album in hostile_albums(author):
        figures += soup_of(client.get(album.get_absolute_url())).select("figure.album__photo")
    expected = [payload.strip()[:CAPTION_MAX] for payload in PAYLOADS]
    assert [f.figcaption.get_text() for f in figures] == expected
    assert [f.img["alt"] for f in figures] == expected


@pytest.mark.django_db
class TestHostileClubs:
    """Open, featured clubs named after the payloads (``hostile_clubs``), built once for both."""

    def test_club_page_shows_hostile_titles_and_summary_as_literal_text(
        self, client, site_tree, clubs
    ):
        shown, expected = [], []
        for club in clubs:
            soup = soup_of(client.get(club.url))
            shown.append(
                (
                    soup.h1.get_text(),
                    soup.title.get_text().rsplit(" · ", 1)[0],
                    soup.find("meta", property="og:title")["content"],
                    soup.select_one(".hero__content p:not(.eyebrow)").get_text(),
                    soup.find("meta", attrs={"name": "description"})["content"],
                )
            )
            expected.append(
                (club.title, club.seo_title, club.seo_title, club.summary, club.summary)
            )
        assert shown == expected
        names = {text for club in expected for text in club}
        assert names == {payload.strip() for payload in PAYLOADS}

    def test_club_index_shows_hostile_club_names_as_literal_text(self, client, site_tree, clubs):
        soup = soup_of(client.get(clubs[0].get_parent().url))
        titles = soup.select("section[aria-labelledby=all-heading] .card__title a")
        assert sorted(a.get_text() for a in titles) == sorted(club.title for club in clubs)


# --- In Chromium: nothing runs -------------------------------------------------------------------


@pytest.fixture
def watch(page, live_server, site_tree, no_first_post_moderation):
    return ScriptWatch(page, live_server.url)


CANARY_PAGE = """<!DOCTYPE html><title>Canary</title>
<script>alert("inline script")</script>
<img src="x" onerror="confirm('img onerror')">
<iframe srcdoc="<script>alert('srcdoc frame')</script>"></iframe>
<iframe src="data:text/html,<script>alert('data frame')</script>"></iframe>
<script>window.__xss = 1</script>
<img src="http://xss.test/pixel.gif">
<p onclick="go()">click</p>
"""


@pytest.mark.browser
def test_script_watch_reports_calls_dialogs_outside_requests_and_markup(page):
    """The watch itself works: every kind of hit on a page made to be hostile is reported."""
    page.route(
        "http://paddock.test/canary/",
        lambda route: route.fulfill(status=200, content_type="text/html", body=CANARY_PAGE),
    )
    watch = ScriptWatch(page, "http://paddock.test")
    watch.visit("http://paddock.test/canary/")
    executed = "\n".join(watch.executed)
    for hit in ("inline script", "img onerror", "srcdoc frame", "data frame", "__xss = 1"):
        assert hit in executed
    assert watch.outside_requests == ["http://xss.test/pixel.gif"]
    injected = "\n".join(watch.injected)
    assert "script: <script>alert" in injected and "handler: <p onclick" in injected
    with pytest.raises(AssertionError):
        watch.assert_nothing_ran()


@pytest.mark.browser
def test_post_detail_pages_with_hostile_story_title_and_body_run_no_script(
    watch, live_server, author
):
    hostile_stories(author)
    # Pages whose stored body is the same differ only in their (escaped) title, which the feed
    # test shows for every payload: one page for each distinct body is enough.
    first_post_of_body = {}
    for pk, body in Post.objects.order_by("pk").values_list("pk", "body"):
        first_post_of_body.setdefault(body, pk)
    for pk in first_post_of_body.values():
        watch.visit(f"{live_server.url}{reverse('community:post', args=[pk])}")
    watch.assert_nothing_ran()


@pytest.mark.browser
def test_feed_and_home_with_hostile_stories_run_no_script(watch, live_server, author):
    hostile_stories(author)
    pages = -(-len(PAYLOADS) // 10)  # the feed shows 10 posts a page
    for number in range(1, pages + 1):
        watch.visit(f"{live_server.url}{reverse('community:feed')}?page={number}")
    watch.visit(live_server.url + "/")
    watch.assert_nothing_ran()


@pytest.mark.browser
def test_post_detail_with_hostile_comments_and_commenter_names_runs_no_script(
    watch, live_server, author
):
    post = hostile_comments(author)
    watch.visit(live_server.url + post.get_absolute_url())
    watch.assert_nothing_ran()


@pytest.mark.browser
def test_album_pages_with_hostile_captions_run_no_script(watch, live_server, author):
    for album in hostile_albums(author):
        watch.visit(live_server.url + album.get_absolute_url())
    watch.visit(f"{live_server.url}{reverse('community:feed')}")
    watch.assert_nothing_ran()


@pytest.mark.browser
def test_club_pages_with_hostile_titles_and_summary_run_no_script(watch, live_server):
    for club in hostile_clubs():
        watch.visit(live_server.url + club.url)
    watch.assert_nothing_ran()


@pytest.mark.browser
def test_club_index_and_home_with_hostile_club_names_run_no_script(watch, live_server):
    clubs = hostile_clubs()
    watch.visit(live_server.url + clubs[0].get_parent().url)
    watch.visit(live_server.url + "/")
    watch.assert_nothing_ran()
