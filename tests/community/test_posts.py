"""Member posts: creating stories and albums, first-post moderation, comments, reactions, reports, moderation."""

from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from community import selectors, services
from community.models import ClubPage, Comment, Member, Post, PostPhoto, Reaction, Report
from tests.factories import CommentFactory, MemberFactory, PostFactory, make_club

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_first_post_moderation(settings):
    settings.PADDOCK_MODERATE_FIRST_POSTS = 0


def jpeg(name="p.jpg", colour=(10, 120, 200)) -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (320, 240), colour).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), "image/jpeg")


def test_post_create_story_publishes_sanitised_html(member):
    post = services.post_create(
        author=member,
        club=None,
        kind="story",
        title="Coast road",
        body="<p onclick='x()'>Hi</p><script>bad()</script>",
    )
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert post.body == "<p>Hi</p>"


def test_post_create_plain_text_story_becomes_paragraphs(member):
    post = services.post_create(
        author=member, club=None, kind="story", title="T", body="One\n\nTwo & three"
    )
    assert post.body == "<p>One</p><p>Two &amp; three</p>"


def test_post_create_first_posts_of_new_member_wait_for_approval(member, settings):
    settings.PADDOCK_MODERATE_FIRST_POSTS = 2
    post = services.post_create(
        author=member, club=None, kind="story", title="Hello", body="First!"
    )
    assert post.status == Post.Status.PENDING


def test_post_create_after_enough_published_posts_publishes_at_once(member, settings):
    settings.PADDOCK_MODERATE_FIRST_POSTS = 2
    PostFactory.create_batch(2, author=member)
    post = services.post_create(author=member, club=None, kind="story", title="Third", body="Text")
    assert post.status == Post.Status.PUBLISHED


def test_post_create_album_stores_photos_with_captions_in_order(member):
    post = services.post_create(
        author=member,
        club=None,
        kind="album",
        title="Meet",
        photos=[(jpeg("a.jpg"), "First"), (jpeg("b.jpg"), "Second")],
    )
    assert list(post.photos.values_list("caption", "position")) == [("First", 0), ("Second", 1)]
    assert all(p.thumbnail.storage.exists(p.thumbnail.name) for p in post.photos.all())


def test_post_create_album_with_21_photos_is_refused(member):
    with pytest.raises(services.CommunityError) as excinfo:
        services.post_create(
            author=member, club=None, kind="album", title="Too many", photos=[(jpeg(), "")] * 21
        )
    assert excinfo.value.code == "album_size"
    assert not Post.objects.exists()


def test_post_create_in_club_requires_membership(member):
    club = make_club()
    with pytest.raises(services.CommunityError) as excinfo:
        services.post_create(author=member, club=club, kind="story", title="Hi", body="x")
    assert excinfo.value.code == "not_member"


def test_post_create_view_with_bad_photo_names_the_file_and_saves_nothing(client, member):
    client.force_login(member)
    bad = SimpleUploadedFile("holiday.jpg", b"<html>nope</html>", "image/jpeg")
    response = client.post(
        reverse("community:post_create"),
        {"kind": "album", "title": "Trip", "photos": [jpeg(), bad]},
    )
    assert "holiday.jpg: This file is not a photo we can read." in response.content.decode()
    assert not Post.objects.exists() and not PostPhoto.objects.exists()


def test_post_create_view_album_with_captions(client, member):
    client.force_login(member)
    response = client.post(
        reverse("community:post_create"),
        {
            "kind": "album",
            "title": "Trip",
            "photos": [jpeg("a.jpg"), jpeg("b.jpg")],
            "captions": "Quay\nMoor",
        },
    )
    post = Post.objects.get()
    assert response["Location"] == post.get_absolute_url()
    assert list(post.photos.values_list("caption", flat=True)) == ["Quay", "Moor"]


def test_post_update_by_author_changes_title_and_body(member):
    post = PostFactory(author=member)
    services.post_update(post=post, by=member, title="New title", body="New body")
    post.refresh_from_db()
    assert (post.title, post.body) == ("New title", "<p>New body</p>")


def test_post_update_by_someone_else_is_refused(member):
    post = PostFactory()
    with pytest.raises(services.CommunityError):
        services.post_update(post=post, by=member, title="Hijack", body="x")


def test_post_delete_removes_post_and_photo_files(member, django_capture_on_commit_callbacks):
    post = services.post_create(
        author=member, club=None, kind="album", title="A", photos=[(jpeg(), "")]
    )
    photo = post.photos.get()
    storage, name = photo.image.storage, photo.image.name
    with django_capture_on_commit_callbacks(execute=True):
        services.post_delete(post=post, by=member)
    assert not Post.objects.exists() and not storage.exists(name)


def test_comment_create_emails_post_author(member, django_capture_on_commit_callbacks):
    post = PostFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(post=post, author=member, body="Great photos")
    assert mail.outbox[-1].to == [post.author.email]
    assert "Great photos" in mail.outbox[-1].body


def test_comment_create_on_pending_post_is_refused(member):
    post = PostFactory(status=Post.Status.PENDING)
    with pytest.raises(services.CommunityError):
        services.comment_create(post=post, author=member, body="Hi")


def test_reaction_toggle_adds_then_removes(member):
    post = PostFactory()
    assert services.reaction_toggle(post=post, member=member, kind="love") is True
    assert services.reaction_toggle(post=post, member=member, kind="love") is False
    assert not Reaction.objects.exists()


def test_reaction_toggle_unknown_kind_is_refused(member):
    with pytest.raises(services.CommunityError):
        services.reaction_toggle(post=PostFactory(), member=member, kind="angry")


def test_reaction_counts_per_kind_are_attached_to_posts(member):
    post = PostFactory()
    other = MemberFactory()
    services.reaction_toggle(post=post, member=member, kind="like")
    services.reaction_toggle(post=post, member=other, kind="like")
    [decorated] = selectors.decorate_posts(posts=[post], viewer=member)
    like = next(r for r in decorated.reaction_summary if r["kind"] == "like")
    assert (like["count"], like["mine"]) == (2, True)


def test_report_create_records_reason_for_moderators(member):
    post = PostFactory()
    services.report_create(reporter=member, reason="spam", details="Selling tyres", post=post)
    report = Report.objects.get()
    assert (report.post, report.reason, report.details) == (post, "spam", "Selling tyres")
    assert post in selectors.moderation_queue()["pending_posts"]


def test_post_moderate_hide_needs_a_reason(staff):
    with pytest.raises(services.CommunityError) as excinfo:
        services.post_moderate(post=PostFactory(), by=staff, action="hide", reason="")
    assert excinfo.value.code == "reason_required"


def test_post_moderate_hide_emails_reason_to_author(staff, django_capture_on_commit_callbacks):
    post = PostFactory(title="Burnout video")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_moderate(
            post=post, by=staff, action="hide", reason="No public-road stunts, please."
        )
    post.refresh_from_db()
    assert post.status == Post.Status.HIDDEN
    assert mail.outbox[-1].to == [post.author.email]
    assert "No public-road stunts, please." in mail.outbox[-1].body


def test_post_moderate_resolves_open_reports(staff, member):
    post = PostFactory()
    services.report_create(reporter=member, reason="abuse", post=post)
    services.post_moderate(post=post, by=staff, action="remove", reason="Abusive")
    assert Report.objects.get().resolved_by == staff


def test_post_moderate_by_ordinary_member_is_refused(member):
    with pytest.raises(services.CommunityError) as excinfo:
        services.post_moderate(
            post=PostFactory(), by=member, action="hide", reason="I don't like it"
        )
    assert excinfo.value.code == "not_moderator"


def test_post_moderate_by_club_organiser_in_own_club(member):
    organiser = MemberFactory()
    club = make_club(organisers=[organiser], members=[member])
    post = PostFactory(author=member, club=club)
    services.post_moderate(post=post, by=organiser, action="hide", reason="Off topic")
    assert Post.objects.get(pk=post.pk).status == Post.Status.HIDDEN


def test_post_moderate_by_organiser_of_another_club_is_refused(member):
    organiser = MemberFactory()
    make_club("Other", organisers=[organiser])
    post = PostFactory(club=make_club("Mine", members=[member]), author=member)
    with pytest.raises(services.CommunityError):
        services.post_moderate(post=post, by=organiser, action="hide", reason="x")


def test_hidden_post_is_not_found_for_other_members(client, member, staff):
    post = PostFactory()
    services.post_moderate(post=post, by=staff, action="hide", reason="Spam")
    client.force_login(member)
    assert client.get(post.get_absolute_url()).status_code == 404


def test_hidden_post_stays_visible_to_its_author_with_reason(client, staff):
    post = PostFactory()
    services.post_moderate(post=post, by=staff, action="hide", reason="Spam link")
    client.force_login(post.author)
    assert "Spam link" in client.get(post.get_absolute_url()).content.decode()


def test_comment_moderate_hides_comment_from_readers(client, staff, member):
    comment = CommentFactory(body="Rude words")
    services.comment_moderate(comment=comment, by=staff, action="hide", reason="Rude")
    client.force_login(member)
    assert "Rude words" not in client.get(comment.post.get_absolute_url()).content.decode()
    assert Comment.objects.get().status == Comment.Status.HIDDEN


def test_post_feature_by_staff_shows_story_first_on_home(client, staff):
    PostFactory(title="Newer story")
    older = PostFactory(title="Featured story")
    services.post_feature(post=older, by=staff, featured=True)
    html = client.get("/").content.decode()
    assert html.index("Featured story") < html.index("Newer story")


def test_member_delete_anonymise_keeps_posts_as_former_member(member):
    post = PostFactory(author=member, title="Kept")
    services.member_delete(member=member, contributions="anonymise")
    post.refresh_from_db()
    assert post.author is None and post.author_name == "Former member"


def test_member_delete_remove_deletes_posts_and_comments(member):
    PostFactory(author=member)
    others_post = CommentFactory(author=member).post
    services.member_delete(member=member, contributions="remove")
    assert list(Post.objects.all()) == [others_post]
    assert not Comment.objects.exists()
    assert not Member.objects.filter(pk=member.pk).exists()


def test_community_feed_excludes_private_club_posts_for_visitors(client):
    club = make_club("Secret", access=ClubPage.Access.PRIVATE)
    PostFactory(club=club, title="Secret meet")
    PostFactory(title="Public drive")
    html = client.get(reverse("community:feed")).content.decode()
    assert "Public drive" in html and "Secret meet" not in html


def test_post_card_excerpt_keeps_paragraphs_apart_and_escapes_once(client):
    PostFactory(title="Two paras", body="<p>Coast road.</p><p>Fish &amp; chips</p>")
    html = client.get(reverse("community:feed")).content.decode()
    assert "Coast road. Fish &amp; chips" in html
