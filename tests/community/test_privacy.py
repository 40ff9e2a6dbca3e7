"""A private club's content reaches its members (and staff) alone.

Visitors, members of other clubs and declined invitees get 404 (or 403, or for a page that needs
a login, the login page) for every URL of it, and find no trace of it in the feed, the club index,
the home page, profiles or the sitemap. Its pages and photos are never publicly cacheable.
"""

from dataclasses import dataclass
from io import BytesIO

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import reverse
from PIL import Image

from community import services
from community.models import (
    ClubPage,
    Comment,
    Member,
    Membership,
    Post,
    PostPhoto,
    Reaction,
    Report,
)
from tests.factories import MemberFactory, StaffFactory, make_club

pytestmark = pytest.mark.django_db

CLUB_TITLE = "Secret Sprinters"
SECRETS = (CLUB_TITLE, "Midnight run to the coast", "Garage night photos", "Bring the good torch")


def jpeg(name: str) -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (320, 240), (10, 120, 200)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), "image/jpeg")


@dataclass
class PrivateClub:
    club: ClubPage
    organiser: Member
    author: Member
    reader: Member
    invitee: Member
    story: Post
    album: Post
    photos: list[PostPhoto]
    comment: Comment
    open_club: ClubPage
    open_post: Post


@pytest.fixture
def private(db, site_tree, settings) -> PrivateClub:
    """A featured private club with a featured story, an album of two photos and a comment;
    an open club and a public story beside it show what the listings do list."""
    settings.PADDOCK_MODERATE_FIRST_POSTS = 0
    organiser = MemberFactory(display_name="Olive Organiser")
    author = MemberFactory(display_name="Ash Author", profile_visibility="public")
    reader = MemberFactory(display_name="Robin Reader")
    club = make_club(CLUB_TITLE, access="private", organisers=[organiser], members=[author, reader])
    club.featured = True
    club.summary = "Night drives for the few."
    club.save()
    invitee = MemberFactory(display_name="Ivy Invitee")
    services.club_invite(club=club, by=organiser, member=invitee)
    story = services.post_create(
        author=author, club=club, kind="story", title=SECRETS[1], body="Meet at the old pier."
    )
    album = services.post_create(
        author=author,
        club=club,
        kind="album",
        title=SECRETS[2],
        photos=[(jpeg("one.jpg"), "Lamps"), (jpeg("two.jpg"), "Bonnets")],
    )
    Post.objects.filter(pk=story.pk).update(featured=True)  # would lead the home page if shown
    comment = services.comment_create(post=story, author=organiser, body=SECRETS[3])
    open_club = make_club("Open Road", members=[author])
    ClubPage.objects.filter(pk=open_club.pk).update(featured=True)
    open_post = services.post_create(
        author=author, club=None, kind="story", title="Sunday coffee run", body="All welcome."
    )
    return PrivateClub(
        club=club,
        organiser=organiser,
        author=author,
        reader=reader,
        invitee=invitee,
        story=story,
        album=album,
        photos=list(album.photos.all()),
        comment=comment,
        open_club=open_club,
        open_post=open_post,
    )


# Every URL of the private club's content, as (method, URL, data).
def content_reads(p: PrivateClub) -> dict[str, str]:
    urls = {
        "club page": p.club.url,
        "story": p.story.get_absolute_url(),
        "album": p.album.get_absolute_url(),
        "report story": reverse("community:report_post", args=[p.story.pk]),
        "report comment": reverse("community:report_comment", args=[p.comment.pk]),
    }
    for i, photo in enumerate(p.photos, 1):
        urls[f"photo {i} full"] = reverse("community:photo", args=[photo.pk, "full"])
        urls[f"photo {i} thumb"] = reverse("community:photo", args=[photo.pk, "thumb"])
    return urls


def other_reads(p: PrivateClub) -> dict[str, str]:
    return {
        "club manage": reverse("community:club_manage", args=[p.club.pk]),
        "club invitation": reverse("community:club_invitation", args=[p.club.pk]),
        "story edit": reverse("community:post_edit", args=[p.story.pk]),
        "story delete": reverse("community:post_delete", args=[p.story.pk]),
    }


def writes(p: PrivateClub) -> dict[str, tuple[str, dict]]:
    story, comment, club = p.story.pk, p.comment.pk, p.club.pk
    moderation = {"action": "remove", "reason": "Nosy"}
    return {
        "comment": (reverse("community:comment_create", args=[story]), {"body": "Hello?"}),
        "react": (reverse("community:react", args=[story]), {"kind": "like"}),
        "report story": (reverse("community:report_post", args=[story]), {"reason": "spam"}),
        "report comment": (
            reverse("community:report_comment", args=[comment]),
            {"reason": "spam"},
        ),
        "moderate story": (reverse("community:moderate_post", args=[story]), moderation),
        "moderate story, no action": (reverse("community:moderate_post", args=[story]), {}),
        "moderate comment": (reverse("community:moderate_comment", args=[comment]), moderation),
        "join": (reverse("community:club_join", args=[club]), {}),
        "leave": (reverse("community:club_leave", args=[club]), {}),
        "accept invitation": (reverse("community:club_invitation", args=[club]), {}),
        "invite": (reverse("community:club_manage", args=[club]), {"email": "x@example.com"}),
        "decide request": (
            reverse(
                "community:membership_decide",
                args=[club, Membership.objects.get(club=p.club, member=p.invitee).pk],
            ),
            {"decision": "approve"},
        ),
        "edit story": (
            reverse("community:post_edit", args=[story]),
            {"title": "Mine now", "body": "x"},
        ),
        "delete story": (reverse("community:post_delete", args=[story]), {}),
    }


READS = [
    "club page",
    "story",
    "album",
    "report story",
    "report comment",
    "photo 1 full",
    "photo 1 thumb",
    "photo 2 full",
    "photo 2 thumb",
]
OTHER_READS = ["club manage", "club invitation", "story edit", "story delete"]
WRITES = [
    "comment",
    "react",
    "report story",
    "report comment",
    "moderate story",
    "moderate story, no action",
    "moderate comment",
    "join",
    "leave",
    "accept invitation",
    "invite",
    "decide request",
    "edit story",
    "delete story",
]
OUTSIDERS = ["visitor", "member of another club"]


def log_in_outsider(client, p: PrivateClub, who: str) -> None:
    if who == "visitor":
        return
    outsider = MemberFactory(display_name="Nosy Neighbour")
    make_club("Other Club", members=[outsider])
    if who == "declined invitee":
        Membership.objects.create(
            club=p.club, member=outsider, status=Membership.Status.DECLINED, decided_by=p.organiser
        )
    client.force_login(outsider)


def assert_refused(response, who: str) -> None:
    """404 or 403; a visitor may instead be sent to log in (the same for any id, so no leak)."""
    if who == "visitor" and response.status_code == 302:
        login = resolve_url(django_settings.LOGIN_URL)
        assert response["Location"].startswith(login + "?next="), response["Location"]
        return
    assert response.status_code in (403, 404), (response.status_code, response.get("Location"))


def content_state(p: PrivateClub) -> tuple:
    """Everything a refused request must leave as it was."""
    return (
        list(Comment.objects.order_by("pk").values_list("pk", "body", "status")),
        list(Reaction.objects.values_list("pk")),
        list(Report.objects.values_list("pk")),
        list(Post.objects.order_by("pk").values_list("pk", "title", "status")),
        list(Membership.objects.order_by("pk").values_list("pk", "member_id", "status")),
    )


# --- Outsiders: refused everywhere ----------------------------------------------------------


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("name", READS + OTHER_READS)
def test_private_club_url_for_outsider_is_not_found(client, private, who, name):
    log_in_outsider(client, private, who)
    url = {**content_reads(private), **other_reads(private)}[name]
    assert_refused(client.get(url), who)


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("name", WRITES)
def test_private_club_post_by_outsider_is_refused_and_changes_nothing(client, private, who, name):
    log_in_outsider(client, private, who)
    before = content_state(private)
    url, data = writes(private)[name]
    assert_refused(client.post(url, data), who)
    assert content_state(private) == before


@pytest.mark.parametrize("name", ["club page", "story", "album", "photo 1 full", "photo 1 thumb"])
def test_private_club_url_for_declined_invitee_is_not_found(client, private, name):
    log_in_outsider(client, private, "declined invitee")
    assert client.get(content_reads(private)[name]).status_code == 404


LISTINGS = ["community feed", "club index", "home page", "author's profile", "sitemap"]


def listing_url(p: PrivateClub, name: str) -> str:
    return {
        "community feed": reverse("community:feed"),
        "club index": p.club.get_parent().url,
        "home page": "/",
        "author's profile": p.author.get_absolute_url(),
        "sitemap": "/sitemap.xml",
    }[name]


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("listing", LISTINGS)
def test_listing_for_outsider_leaves_out_private_club(client, private, who, listing):
    log_in_outsider(client, private, who)
    response = client.get(listing_url(private, listing))
    assert response.status_code == 200
    html = response.content.decode()
    for secret in (*SECRETS, private.club.url, private.story.get_absolute_url()):
        assert secret not in html
    for photo in private.photos:
        assert reverse("community:photo", args=[photo.pk, "thumb"]) not in html


@pytest.mark.parametrize(
    ("listing", "expected"),
    [
        ("community feed", "Sunday coffee run"),
        ("club index", "Open Road"),
        ("home page", "Open Road"),
        ("home page", "Sunday coffee run"),
        ("author's profile", "Sunday coffee run"),
        ("sitemap", "/clubs/open-road/"),
    ],
)
def test_listing_for_visitor_shows_public_content(client, private, listing, expected):
    assert expected in client.get(listing_url(private, listing)).content.decode()


# --- Members, organisers, invitees and staff ------------------------------------------------


@pytest.mark.parametrize("name", READS)
def test_private_club_url_for_member_is_shown(client, private, name):
    client.force_login(private.reader)
    assert client.get(content_reads(private)[name]).status_code == 200


@pytest.mark.parametrize("name", READS + ["club manage"])
def test_private_club_url_for_staff_is_shown(client, private, name):
    client.force_login(StaffFactory())
    url = {**content_reads(private), **other_reads(private)}[name]
    assert client.get(url).status_code == 200


def test_private_club_manage_for_organiser_is_shown(client, private):
    client.force_login(private.organiser)
    response = client.get(reverse("community:club_manage", args=[private.club.pk]))
    assert response.status_code == 200


def test_private_club_manage_for_ordinary_member_is_forbidden(client, private):
    client.force_login(private.reader)
    response = client.get(reverse("community:club_manage", args=[private.club.pk]))
    assert response.status_code == 403


def test_private_club_comment_by_member_is_posted(client, private):
    client.force_login(private.reader)
    url, data = writes(private)["comment"]
    assert client.post(url, data).status_code == 302
    assert Comment.objects.filter(post=private.story, author=private.reader, body="Hello?").exists()


def test_private_club_reaction_by_member_is_recorded(client, private):
    client.force_login(private.reader)
    url, data = writes(private)["react"]
    assert client.post(url, data).status_code == 302
    assert Reaction.objects.filter(post=private.story, member=private.reader, kind="like").exists()


@pytest.mark.parametrize("listing", ["community feed", "club index"])
def test_listing_for_member_shows_private_club_content(client, private, listing):
    client.force_login(private.reader)
    html = client.get(listing_url(private, listing)).content.decode()
    assert CLUB_TITLE in html


def test_private_club_page_for_invitee_shows_invitation_to_accept(client, private):
    """club_visible_to lets invitees see the club, so that they can accept."""
    client.force_login(private.invitee)
    response = client.get(private.club.url)
    assert response.status_code == 200
    assert "Accept the invitation" in response.content.decode()


@pytest.mark.parametrize("name", ["story", "album"])
def test_private_club_post_for_invitee_who_has_not_accepted_is_not_found(client, private, name):
    """An invitation shows the club page; the content stays for members until it is accepted."""
    client.force_login(private.invitee)
    post = private.story if name == "story" else private.album
    assert client.get(post.get_absolute_url()).status_code == 404


def test_private_club_invitation_accepted_by_invitee_makes_member(client, private):
    client.force_login(private.invitee)
    response = client.post(reverse("community:club_invitation", args=[private.club.pk]))
    assert response.status_code == 302
    membership = Membership.objects.get(club=private.club, member=private.invitee)
    assert membership.status == Membership.Status.ACTIVE


# --- Never publicly cacheable ---------------------------------------------------------------


@pytest.mark.parametrize("name", READS)
def test_private_club_response_for_member_is_private_and_not_stored(client, private, name):
    client.force_login(private.reader)
    response = client.get(content_reads(private)[name])
    cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= cache_control, dict(response.headers)
    assert "public" not in cache_control and not any(
        part.startswith(("max-age", "s-maxage")) and not part.endswith("=0")
        for part in cache_control
    )
