"""The photo drop in Chromium: the morning after an event, a member checked in at the door follows
the link in the real mail (an SMTP listener caught it), signs in, adds a HEIC from their iPhone and
a JPEG tagged with their car; staff approve the post in the moderation queue, and the album is on
the event page. Screenshots of the upload page and the album at 390 and 1280 px go to
test-results/."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.support.browser import MEMBER_PASSWORD, RESULTS_DIR, log_in
from tests.support.photos import heic_bytes, jpeg_bytes

pytestmark = pytest.mark.browser

URL = re.compile(r"https?://[^\s<>\"')]+")
TITLE = "Dawn at the quay"
WIDTHS = (390, 1280)


def serious_axe_violations(tab) -> list[str]:
    """What axe-core finds of serious or critical impact on the page in ``tab``."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(tab).response["violations"]
    return [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


def screenshots(tab, name: str) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        tab.screenshot(path=str(RESULTS_DIR / f"photo-drop-{name}-{width}.png"), full_page=True)
    tab.set_viewport_size({"width": 1280, "height": 900})


def test_member_checked_in_adds_heic_and_jpeg_from_the_photo_drop_and_album_shows_after_approval(
    page, staff_page, live_server, site_tree, smtp_server, settings, tmp_path, cooper_s
):
    from community.models import Post
    from events.photo_drop import photo_drops_due
    from tests.events.photo_drop_helpers import checked_in, morning_after, yesterdays_event
    from tests.factories import CarFactory, MemberFactory, StaffFactory

    settings.SITE_URL = live_server.url  # links in mail lead to the served site
    staff = StaffFactory(display_name="Dana Staff")
    member = MemberFactory(display_name="Sam Porter")
    car = CarFactory(owner=member, car_model=cooper_s, year=2021, nickname="Pepper")
    event = yesterdays_event("Cars & Coffee on the Quay")
    checked_in(event, member, staff=staff, car=car)
    heic = tmp_path / "IMG_0001.HEIC"
    heic.write_bytes(heic_bytes(size=(1200, 900), colour=(196, 30, 58)))
    jpeg = tmp_path / "IMG_0002.JPG"
    jpeg.write_bytes(jpeg_bytes(size=(1200, 900), colour=(20, 110, 180)))

    # The morning after, the photo drop reaches Sam over SMTP.
    photo_drops_due(now=morning_after(event))
    received = smtp_server.wait_for_message(lambda m: member.email in m.envelope_to)
    assert received.subject == "Your photos from Cars & Coffee on the Quay"
    [link] = [url for url in URL.findall(received.text) if "/photos/add/" in url]
    assert link == f"{live_server.url}{reverse('events:album_add', args=[event.pk])}"

    # Sam follows the link, signs in, and lands on the upload page.
    page.goto(link)
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password", exact=True).fill(MEMBER_PASSWORD)
    page.get_by_role("button", name=re.compile(r"sign in|log in", re.I)).click()
    expect(page).to_have_url(link)
    expect(page.get_by_role("heading", name="Add your photos")).to_be_visible()
    screenshots(page, "upload")
    assert serious_axe_violations(page) == []

    # ... adds a HEIC and a JPEG, tagged with Pepper, their car (ticked for them already).
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Photos").set_input_files([str(heic), str(jpeg)])
    page.get_by_label("Captions").fill("Pepper at first light\nThe line-up")
    pepper = page.get_by_label(re.compile(r"“Pepper”, yours"))
    expect(pepper).to_be_checked()
    page.get_by_role("button", name="Add to the album").click()
    expect(page.get_by_role("status")).to_contain_text("A moderator will look at your photos")
    post = Post.objects.get(event_page_id=event.pk)
    assert (post.status, post.photos.count()) == (Post.Status.PENDING, 2)
    assert list(post.cars.all()) == [car]
    expect(page.locator(".album__photo")).to_have_count(0)  # not in the album until approved

    # Dana approves it in the Wagtail admin's moderation queue.
    log_in(staff_page, live_server.url, staff)
    staff_page.goto(f"{live_server.url}{reverse('moderation:index')}")
    staff_page.get_by_role("link", name=TITLE).click()
    staff_page.get_by_role("combobox", name="Moderation").select_option("approve")
    staff_page.get_by_role("button", name="Save", exact=True).click()
    expect(staff_page.get_by_role("link", name=TITLE)).to_have_count(0)  # off the queue
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED

    # The album is on the event page, with both photos; the album page shows Pepper's tag.
    page.goto(f"{live_server.url}{event.url}")
    album = page.locator("section.event-album")
    expect(album.get_by_role("heading", name="Album")).to_be_visible()
    expect(album.locator("img")).to_have_count(2)
    screenshots(page, "event")
    album.get_by_role("link", name="See the whole album").click()
    expect(page.locator(".album__photo")).to_have_count(2)
    expect(page.locator(".car-tag").first).to_contain_text("Pepper")
    share = page.locator('meta[property="og:image"]').get_attribute("content")
    assert share.endswith(reverse("events:album_share", args=[event.pk]))
    response = page.request.get(share)
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
    (RESULTS_DIR / "photo-drop-share.jpg").write_bytes(response.body())
    screenshots(page, "album")
    assert serious_axe_violations(page) == []
