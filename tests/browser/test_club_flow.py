"""A club's life in Chromium: asking to join, approval, posting, comments, a report, moderation.

One flow, five people, each in their own browser context:

- Alex (the author) asks to join an approval club; Olivia, its organiser, approves;
- Alex posts an album of three photos with captions and a story in the club;
- Cal comments on the story and reacts to it; Rosa reports it;
- Dana (staff) hides it from the Wagtail admin's moderation queue, giving a reason;
- the reason reaches Alex by email, on a real SMTP listener.

New members' first PADDOCK_MODERATE_FIRST_POSTS posts wait for approval. That rule stays on here (at
its default, 2): Alex has two published posts already, so the club posts go live at once.
"""

import re

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"  # tests.factories.MemberFactory's
CLUB = "Classic Mini Register"
ALBUM = "Three Minis on Dartmoor"
CAPTIONS = ["Haytor car park at dawn", "Old Faithful on the cattle grid", "Coffee at Widecombe"]
STORY = "Why I still drive a 1997 Cooper"
REASON = "Shows a registration plate without the owner's permission (house rule 3)."


def jpeg_files(directory, count: int) -> list[str]:
    """``count`` small JPEG files of different colours, as a phone would upload them."""
    paths = []
    for i in range(count):
        path = directory / f"dartmoor-{i + 1}.jpg"
        Image.new("RGB", (800, 600), (40 + 60 * i, 110, 200 - 50 * i)).save(path, "JPEG")
        paths.append(str(path))
    return paths


@pytest.fixture
def open_as(browser, live_server, request):
    """``open_as(member)``: a page in a new browser context, logged in as the member through the
    login form. Contexts close at teardown; on failure each one's page is screenshotted.
    """
    from tests.conftest import _test_failed
    from tests.support.browser import DEFAULT_TIMEOUT_MS, VIEWPORT, screenshot_path

    opened = []

    def open_page(member):
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        tab = context.new_page()
        opened.append((member, context, tab))
        tab.goto(f"{live_server.url}{reverse('account_login')}")
        tab.get_by_label("Email").fill(member.email)
        tab.get_by_label("Password", exact=True).fill(PASSWORD)
        tab.get_by_role("button", name=re.compile(r"sign in|log in", re.I)).click()
        # members land on their garage, staff on the admin's dashboard
        expect(tab).to_have_url(re.compile(r"/admin/$" if member.is_staff else r"/garage/$"))
        return tab

    yield open_page
    failed = _test_failed(request.node)
    for member, context, tab in opened:
        try:
            if failed:
                path = screenshot_path(f"{request.node.nodeid}-{member.display_name}")
                path.parent.mkdir(parents=True, exist_ok=True)
                tab.screenshot(path=str(path), full_page=True)
                print(f"Screenshot of {member.display_name}'s page: {path}")
        finally:
            context.close()


def test_club_join_approve_post_comment_report_and_staff_hide_emails_author(
    live_server, site_tree, smtp_server, open_as, tmp_path
):
    from community.models import Comment, Membership, Post, Reaction, Report
    from tests.factories import MemberFactory, PostFactory, StaffFactory, make_club

    author = MemberFactory(display_name="Alex Author", email="alex@example.com")
    organiser = MemberFactory(display_name="Olivia Organiser", email="olivia@example.com")
    commenter = MemberFactory(display_name="Cal Commenter")
    reporter = MemberFactory(display_name="Rosa Reporter")
    staff = StaffFactory(display_name="Dana Staff")
    club = make_club(CLUB, access="approval", organisers=[organiser], members=[commenter, reporter])
    PostFactory.create_batch(2, author=author)  # past the first-posts moderation rule
    club_url = f"{live_server.url}{club.url}"

    # Alex asks to join; the organiser is emailed.
    alex = open_as(author)
    alex.goto(club_url)
    alex.get_by_role("button", name="Ask to join").click()
    expect(alex.get_by_text("Your request is waiting for approval")).to_be_visible()
    smtp_server.wait_for_message(lambda m: organiser.email in m.envelope_to)

    # Olivia approves on the club's manage page; Alex is emailed.
    olivia = open_as(organiser)
    olivia.goto(f"{live_server.url}{reverse('community:club_manage', args=[club.pk])}")
    olivia.get_by_role("button", name=f"Approve {author.display_name}").click()
    expect(olivia.get_by_role("status")).to_contain_text("request is approved")
    expect(olivia.get_by_text("No requests waiting.")).to_be_visible()
    smtp_server.wait_for_message(
        lambda m: author.email in m.envelope_to and CLUB in m.subject + m.text
    )
    assert Membership.objects.get(club=club, member=author).status == Membership.Status.ACTIVE

    # Alex posts an album of three photos, one caption a line, from the club page...
    alex.goto(club_url)
    alex.get_by_role("link", name="Post in this club").click()
    expect(alex.get_by_label("Where")).to_have_value(str(club.pk))
    alex.get_by_label("Photo album").check()
    alex.get_by_label("Title").fill(ALBUM)
    alex.get_by_label("Photos").set_input_files(jpeg_files(tmp_path, 3))
    alex.get_by_label("Captions").fill("\n".join(CAPTIONS))
    alex.get_by_role("button", name="Post", exact=True).click()
    expect(alex.get_by_role("heading", level=1)).to_have_text(ALBUM)
    expect(alex.locator("figcaption")).to_have_text(CAPTIONS)
    for image in alex.locator(".album img").all():
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") > 0  # the photo view serves them

    # ...and a story.
    alex.goto(f"{live_server.url}{reverse('community:post_create')}?club={club.pk}")
    alex.get_by_label("Title").fill(STORY)
    alex.get_by_label("Your story").fill(
        "Old Faithful has no power steering, no air conditioning and no cup holders.\n\n"
        "It is still the best car I have ever driven. Here it is outside my house, plate and all."
    )
    alex.get_by_role("button", name="Post", exact=True).click()
    expect(alex.get_by_role("heading", level=1)).to_have_text(STORY)
    expect(alex.get_by_role("status")).to_contain_text("Your post is live")
    story = Post.objects.get(title=STORY)
    album = Post.objects.get(title=ALBUM)
    assert (story.club, story.status) == (club, Post.Status.PUBLISHED)
    assert (album.club, album.status, album.kind) == (club, Post.Status.PUBLISHED, "album")
    assert list(album.photos.values_list("caption", flat=True)) == CAPTIONS
    story_url = f"{live_server.url}{story.get_absolute_url()}"

    # Cal comments on the story and reacts to it; Alex is emailed about the comment.
    cal = open_as(commenter)
    cal.goto(story_url)
    cal.get_by_label("Add a comment").fill("Proper driving. Bring it to Cars & Coffee!")
    cal.get_by_role("button", name="Post comment").click()
    expect(cal.locator(".comment-list")).to_contain_text("Proper driving.")
    love = cal.get_by_role("button", name=re.compile(r"Love$"))
    love.click()
    expect(love).to_have_attribute("aria-pressed", "true")
    expect(love).to_contain_text("1")
    smtp_server.wait_for_message(
        lambda m: author.email in m.envelope_to and "Proper driving" in m.text
    )
    assert Comment.objects.filter(post=story, author=commenter).count() == 1
    assert list(Reaction.objects.filter(post=story).values_list("member", "kind")) == [
        (commenter.pk, "love")
    ]

    # Rosa reports the story: it shows Alex's plate.
    rosa = open_as(reporter)
    rosa.goto(story_url)
    rosa.locator(".post__actions").get_by_role("link", name="Report").click()
    rosa.get_by_label("Shares someone's private details").check()
    rosa.get_by_label("Anything else we should know?").fill("The plate is readable in photo 1.")
    rosa.get_by_role("button", name="Send the report").click()
    expect(rosa.get_by_role("status")).to_contain_text("A moderator will look at it")
    report = Report.objects.get(post=story)
    assert (report.reporter, report.reason, report.resolved_at) == (reporter, "privacy", None)

    # Dana hides it from the Wagtail admin's moderation queue, giving the reason.
    dana = open_as(staff)
    dana.goto(f"{live_server.url}/admin/moderation/")
    expect(dana.get_by_role("link", name=ALBUM)).to_have_count(0)  # nothing to look at there
    dana.get_by_role("link", name=STORY).click()
    expect(dana.get_by_text("Shares someone's private details")).to_be_visible()
    dana.get_by_role("combobox", name="Moderation").select_option("hide")
    dana.get_by_role("textbox", name="Reason").fill(REASON)
    dana.get_by_role("button", name="Save", exact=True).click()
    expect(dana).to_have_url(f"{live_server.url}/admin/moderation/")
    expect(dana.get_by_text(re.compile(rf"{re.escape(STORY)}.*updated", re.I))).to_be_visible()
    expect(dana.get_by_role("link", name=STORY)).to_have_count(0)  # dealt with: off the queue

    story.refresh_from_db()
    report.refresh_from_db()
    assert (story.status, story.moderation_reason, story.moderated_by) == (
        Post.Status.HIDDEN,
        REASON,
        staff,
    )
    assert report.resolved_by == staff and report.resolved_at is not None

    # The reason reaches Alex by email, and the story is gone for everyone else.
    hidden = smtp_server.wait_for_message(
        lambda m: author.email in m.envelope_to and "hidden" in m.subject
    )
    assert STORY in hidden.subject
    assert REASON in hidden.text
    assert cal.goto(story_url).status == 404
    alex.goto(story_url)
    expect(alex.get_by_text(f"Hidden by a moderator: {REASON}")).to_be_visible()


def test_reaction_buttons_and_feed_show_each_reactions_emoji(live_server, site_tree, open_as):
    """Sighted members see 👍 ❤️ 🔥 😂 😮 on the buttons; the words are for screen readers."""
    from tests.factories import MemberFactory, PostFactory

    post = PostFactory(title="Coast road at dawn")
    member = MemberFactory(display_name="Cal Commenter")
    emojis = ["👍", "❤️", "🔥", "😂", "😮"]  # like, love, fire, laugh, wow

    cal = open_as(member)
    cal.goto(f"{live_server.url}{post.get_absolute_url()}")
    buttons = cal.locator(".reactions").get_by_role("button")
    expect(buttons).to_have_count(len(emojis))
    cal.get_by_role("button", name=re.compile(r"Love$")).click()
    expect(cal.get_by_role("button", name=re.compile(r"Love$"))).to_have_attribute(
        "aria-pressed", "true"
    )
    # What is on screen: the aria-hidden part of each button, and of the feed card's tally.
    shown = [b.locator('[aria-hidden="true"]').inner_text().strip() for b in buttons.all()]
    cal.goto(f"{live_server.url}{reverse('community:feed')}")
    tally = cal.locator(".post-card__stats [aria-hidden='true']").all_inner_texts()

    assert shown == emojis, f"reaction buttons show {shown!r} where the emojis belong"
    assert [t.strip() for t in tally] == ["❤️"]


def test_club_manage_lists_only_posts_and_comments_waiting_or_reported(
    live_server, site_tree, open_as
):
    """An organiser's "Posts to look at" holds what waits for approval or was reported, not every
    post and comment in the club."""
    from community.models import Report
    from tests.factories import CommentFactory, MemberFactory, PostFactory, make_club

    organiser = MemberFactory(display_name="Olivia Organiser")
    member = MemberFactory(display_name="Mo Member")
    club = make_club(CLUB, access="approval", organisers=[organiser], members=[member])
    ordinary = PostFactory(club=club, author=member, title="An ordinary Sunday drive")
    CommentFactory(post=ordinary, author=organiser, body="Lovely photos, no problem here.")
    PostFactory(club=club, author=member, title="My first post", status="pending")
    reported = PostFactory(club=club, author=member, title="Plates on show")
    Report.objects.create(post=reported, reporter=organiser, reason="privacy")

    olivia = open_as(organiser)
    olivia.goto(f"{live_server.url}{reverse('community:club_manage', args=[club.pk])}")
    to_look_at = olivia.get_by_role("region", name="Posts to look at")

    expect(to_look_at.get_by_role("link", name="My first post")).to_be_visible()
    expect(to_look_at.get_by_role("link", name="Plates on show")).to_be_visible()
    expect(to_look_at).not_to_contain_text("An ordinary Sunday drive")
    expect(to_look_at).not_to_contain_text("Lovely photos, no problem here.")
