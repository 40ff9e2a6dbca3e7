"""Members' pages from one shared body per audience (community/page_parts.py): the second member
gets it without its queries, with their own parts filled in, and never another member's."""

import logging

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accessories.models import AccessoryOnDisplay, FeaturedAccessory
from community.models import HomePage, Membership, Reaction
from community.page_parts import BODY_HEADER, AudienceUser, SharedRenderError, audience_of
from events import services
from tests.factories import (
    CarFactory,
    CarModelFactory,
    CommentFactory,
    MemberFactory,
    PostFactory,
    make_accessory,
    make_club,
    make_event,
)

pytestmark = pytest.mark.django_db

KINDS = [
    "home",
    "event listing",
    "event page",
    "club listing",
    "club page",
    "community feed",
    "story page",
    "member profile",
    "accessory listing",
    "accessory page",
]


class Dealership:
    """Alex has a place at the meet (with a guest), is in the club and has a Cooper S that the
    accessory on show fits; Blake has none of that. Both are plain members: one audience."""

    def __init__(self):
        self.cooper_s = cooper_s = CarModelFactory(name="Cooper S")
        self.alex = MemberFactory(display_name="Alex Rivers")
        self.blake = MemberFactory(display_name="Blake Stone")
        CarFactory(owner=self.alex, car_model=cooper_s, year=2019)
        self.club = make_club("Cooper S Owners", members=[self.alex])
        self.club.featured = True
        self.club.save_revision().publish()
        self.event = make_event("Cars & Coffee", capacity=20, guests_allowed=2)
        services.rsvp_respond(event=self.event, member=self.alex, answer="going", guests=1)
        spoiler = make_accessory("JCW roof spoiler", fits=[(cooper_s, 2014, 2024)])
        self.spoiler = spoiler
        AccessoryOnDisplay.objects.create(event=self.event, accessory=spoiler)
        FeaturedAccessory.objects.create(home=HomePage.objects.get(depth=2), accessory=spoiler)
        PostFactory(author=self.blake, club=self.club, title="Coast road run")
        self.casey = MemberFactory(display_name="Casey Wren", profile_visibility="public")
        self.story = PostFactory(author=self.casey, title="Dawn run over the moor")
        Reaction.objects.create(post=self.story, member=self.alex, kind="fire")
        self.alex_comment = CommentFactory(
            post=self.story, author=self.alex, body="Wish I had been there!"
        )

    def urls(self) -> dict[str, str]:
        return {
            "home": "/",
            "event listing": self.event.get_parent().url,
            "event page": self.event.url,
            "club listing": self.club.get_parent().url,
            "club page": self.club.url,
            "community feed": "/community/",
            "story page": self.story.get_absolute_url(),
            "member profile": self.casey.get_absolute_url(),
            "accessory listing": self.spoiler.get_parent().url,
            "accessory page": self.spoiler.url,
        }

    def client_of(self, member) -> Client:
        client = Client()
        client.force_login(member)
        return client


# What only Alex may see, on any page.
ALEX_ONLY = [
    "You're going with 1 guest",
    "Update my RSVP",  # the event's shared RSVP form, with Alex's answer marked onto it
    'name="answer" value="going" required id="id_answer_0" checked',
    '<input type="number" name="guests" value="1"',
    ">2019 MINI Cooper S</option>",  # Alex's car among the RSVP form's options
    "You're a member",
    "Fits your",
    "Leave the club",
    "reaction--mine",
]


def test_alex_and_blake_share_one_audience(dealership):
    assert audience_of(dealership.alex) == audience_of(dealership.blake)


@pytest.mark.parametrize("kind", KINDS)
def test_member_after_another_gets_the_shared_body_from_the_cache(dealership, page_cache, kind):
    url = dealership.urls()[kind]
    if kind.startswith("accessory"):  # accessory pages are shared by members with the same cars
        CarFactory(owner=dealership.blake, car_model=dealership.cooper_s, year=2019)
    dealership.client_of(dealership.alex).get(url)
    blake = dealership.client_of(dealership.blake)
    response = blake.get(url)
    assert response.status_code == 200 and response[BODY_HEADER] == "hit"


@pytest.mark.parametrize("kind", KINDS)
def test_member_on_a_body_another_member_cached_sees_none_of_their_data(
    dealership, page_cache, kind
):
    url = dealership.urls()[kind]
    alex = dealership.client_of(dealership.alex)
    first = alex.get(url).content.decode()
    alex_token = alex.cookies["csrftoken"].value if "csrftoken" in alex.cookies else None
    second = dealership.client_of(dealership.blake).get(url).content.decode()
    leaked = [text for text in ALEX_ONLY if text in second]
    assert leaked == [], leaked
    if alex_token:
        assert alex_token not in second
    assert first != second or not any(text in first for text in ALEX_ONLY)


@pytest.mark.parametrize("kind", KINDS)
def test_member_on_a_body_another_member_cached_sees_their_own_parts(dealership, page_cache, kind):
    url = dealership.urls()[kind]
    dealership.client_of(dealership.blake).get(url)  # Blake's visit keeps the body
    page = dealership.client_of(dealership.alex).get(url).content.decode()
    expected = {
        "home": ["You're a member", "Fits your"],
        "event listing": [],
        "event page": [
            "You're going with 1 guest",
            "Fits your",
            "Update my RSVP",
            ">2019 MINI Cooper S</option>",
        ],
        "club listing": ["You're a member"],
        "club page": ["Leave the club"],
        "community feed": [],
        "story page": ["reaction--mine"],
        "member profile": [],
        "accessory listing": ["Fits your"],
        "accessory page": ["Fits your"],
    }[kind]
    assert [text for text in expected if text not in page] == []


def test_event_page_from_the_shared_body_runs_fewer_queries_than_rendered_whole(
    dealership, page_cache
):
    url = dealership.urls()["event page"]
    alex = dealership.client_of(dealership.alex)
    with CaptureQueriesContext(connection) as whole:
        alex.get(url)
    with CaptureQueriesContext(connection) as shared:
        alex.get(url)
    assert len(shared) < len(whole)


def test_rsvp_answered_shows_at_once_on_the_event_page(dealership, page_cache):
    url = dealership.urls()["event page"]
    blake = dealership.client_of(dealership.blake)
    assert "Send my RSVP" in blake.get(url).content.decode()
    blake.post(f"/events/{dealership.event.pk}/rsvp/", {"answer": "going", "guests": 0})
    assert "You're going" in blake.get(url).content.decode()


def test_own_post_in_a_club_shows_at_once_on_its_page(dealership, page_cache):
    url = dealership.urls()["club page"]
    alex = dealership.client_of(dealership.alex)
    alex.get(url)  # the club's body is kept
    PostFactory(author=dealership.alex, club=dealership.club, title="Night run to the coast")
    alex.post("/community/new/", {})  # any POST of theirs: their pages render whole for a while
    assert "Night run to the coast" in alex.get(url).content.decode()


def test_own_post_waiting_for_approval_shows_to_its_author_on_a_shared_feed(dealership, page_cache):
    dealership.client_of(dealership.blake).get("/community/")  # the feed's body is kept
    PostFactory(author=dealership.alex, status="pending", title="My first track day")
    page = dealership.client_of(dealership.alex).get("/community/").content.decode()
    assert "My first track day" in page and "Waiting for approval" in page


def test_post_waiting_for_approval_stays_hidden_from_other_members(dealership, page_cache):
    PostFactory(author=dealership.alex, status="pending", title="My first track day")
    dealership.client_of(dealership.alex).get("/community/")
    page = dealership.client_of(dealership.blake).get("/community/").content.decode()
    assert "My first track day" not in page


def test_member_sees_report_under_a_comment_another_member_wrote(dealership, page_cache):
    url = dealership.story.get_absolute_url()
    dealership.client_of(dealership.alex).get(url)  # Alex's visit keeps the body
    page = dealership.client_of(dealership.blake).get(url).content.decode()
    assert f"/community/comments/{dealership.alex_comment.pk}/report/" in page


def test_member_sees_no_report_under_their_own_comment(dealership, page_cache):
    url = dealership.story.get_absolute_url()
    dealership.client_of(dealership.blake).get(url)
    page = dealership.client_of(dealership.alex).get(url).content.decode()
    assert f"/community/comments/{dealership.alex_comment.pk}/report/" not in page


def test_visitor_gets_a_story_page_from_the_page_cache(dealership, page_cache):
    from paddock.page_cache import HIT_HEADER

    url = dealership.story.get_absolute_url()
    Client().get(url)
    assert Client().get(url)[HIT_HEADER] == "hit"


def test_visitor_gets_a_member_profile_from_the_page_cache(dealership, page_cache):
    from paddock.page_cache import HIT_HEADER

    url = dealership.casey.get_absolute_url()
    Client().get(url)
    assert Client().get(url)[HIT_HEADER] == "hit"


def test_profile_made_private_is_gone_from_visitors_cached_pages_at_once(
    dealership, page_cache, django_capture_on_commit_callbacks
):
    from community.services import member_profile_save

    url = dealership.casey.get_absolute_url()
    assert Client().get(url).status_code == 200
    dealership.casey.profile_visibility = "members"
    with django_capture_on_commit_callbacks(execute=True):
        member_profile_save(member=dealership.casey)
    assert Client().get(url).status_code == 404


def test_members_with_different_cars_get_different_accessory_bodies(dealership, page_cache):
    url = dealership.spoiler.url
    dealership.client_of(dealership.alex).get(url)
    response = dealership.client_of(dealership.blake).get(url)
    assert response[BODY_HEADER] == "miss" and "Fits your" not in response.content.decode()


def test_members_earlier_question_shows_on_the_accessory_page_to_them_alone(dealership, page_cache):
    from accessories.models import Lead

    Lead.objects.create(
        accessory=dealership.spoiler,
        member=dealership.alex,
        kind="ask",
        name="Alex Rivers",
        email=dealership.alex.email,
        message="Does it come painted?",
    )
    url = dealership.spoiler.url
    alex_page = dealership.client_of(dealership.alex).get(url).content.decode()
    blake_page = dealership.client_of(dealership.blake).get(url).content.decode()
    assert "You asked about this" in alex_page and "You asked about this" not in blake_page


def test_form_in_a_shared_body_carries_each_members_own_working_token(dealership, page_cache):
    import re

    from community.page_parts import CSRF_PLACEHOLDER

    url = dealership.story.get_absolute_url()
    alex = Client(enforce_csrf_checks=True)
    alex.force_login(dealership.alex)
    alex.get(url)  # the body, with the comment form, is kept
    blake = Client(enforce_csrf_checks=True)
    blake.force_login(dealership.blake)
    response = blake.get(url)
    page = response.content.decode()
    assert response[BODY_HEADER] == "hit" and CSRF_PLACEHOLDER not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    sent = blake.post(
        f"/community/posts/{dealership.story.pk}/comment/",
        {"body": "See you at the next one", "csrfmiddlewaretoken": token},
    )
    assert sent.status_code == 302


def test_lead_form_in_a_shared_body_is_filled_in_with_each_members_own_name_and_email(
    dealership, page_cache
):
    from community.page_parts import MEMBER_VALUES

    CarFactory(owner=dealership.blake, car_model=dealership.cooper_s, year=2019)  # one audience
    url = dealership.spoiler.url
    dealership.client_of(dealership.alex).get(url)
    response = dealership.client_of(dealership.blake).get(url)
    page = response.content.decode()
    assert response[BODY_HEADER] == "hit"
    assert dealership.blake.email in page and "Blake Stone" in page
    assert dealership.alex.email not in page and "Alex Rivers" not in page
    assert not any(placeholder in page for placeholder, _ in MEMBER_VALUES.values())


def test_member_of_a_private_club_gets_a_body_of_their_own_audience(dealership):
    private = make_club("Inner Circle", access="private")
    Membership.objects.create(club=private, member=dealership.blake)
    assert audience_of(dealership.alex) != audience_of(dealership.blake)


def test_staff_have_an_audience_apart_from_members(dealership):
    staff = MemberFactory(is_staff=True)
    assert audience_of(staff) != audience_of(dealership.blake)


def test_shared_body_refuses_a_members_email():
    user = AudienceUser(MemberFactory.build(is_staff=False))
    with pytest.raises(SharedRenderError):
        Template("{{ user.email }}").render(Context({"user": user}))


def test_shared_body_answers_whether_signed_in_and_staff():
    user = AudienceUser(MemberFactory.build(is_staff=True))
    rendered = Template("{{ user.is_authenticated }} {{ user.is_staff }}").render(
        Context({"user": user})
    )
    assert rendered == "True True"


def test_page_touching_member_data_outside_personal_parts_is_rendered_whole_and_logged(
    dealership, page_cache, monkeypatch, caplog
):
    from community import page_parts

    original = page_parts.AudienceUser.__init__

    def leaky(self, user):  # a template change reading user.display_name in a shared part
        original(self, user)
        raise SharedRenderError("user.display_name used outside a {% personal %} part")

    monkeypatch.setattr(page_parts.AudienceUser, "__init__", leaky)
    with caplog.at_level(logging.ERROR, logger="paddock.page_parts"):
        page = dealership.client_of(dealership.alex).get("/").content.decode()
    assert "You're a member" in page and "cannot be shared" in caplog.text


def test_personal_parts_compiled_in_another_process_are_found(dealership, page_cache):
    from django.template import engines

    from community import page_parts

    url = dealership.urls()["event page"]
    dealership.client_of(dealership.blake).get(url)
    page_parts._SLOTS.clear()  # as in a fresh worker: nothing compiled yet
    for loader in engines["django"].engine.template_loaders:
        if hasattr(loader, "reset"):
            loader.reset()
    page = dealership.client_of(dealership.alex).get(url).content.decode()
    assert "You're going with 1 guest" in page


def test_shared_body_queries_do_not_grow_with_the_club(dealership, page_cache):
    url = dealership.urls()["club page"]
    alex = dealership.client_of(dealership.alex)

    def count():
        from paddock.page_cache import page_cache_clear

        page_cache_clear()
        dealership.client_of(dealership.blake).get(url)  # the body, kept
        with CaptureQueriesContext(connection) as ctx:
            alex.get(url)
        return len(ctx)

    small = count()
    for n in range(10):
        member = MemberFactory()
        Membership.objects.create(club=dealership.club, member=member)
        PostFactory(author=member, club=dealership.club, title=f"Run {n}")
    assert count() == small
