"""The community feed, a club page and a post page run as many SQL queries for 2 posts as for 10.

Each test renders a page once on a small dataset and once more after the dataset has grown (more
posts, photos, comments and reactions, by the same members), and asserts the two query counts are
equal. A failure lists the queries the bigger page ran more often, which names the N+1.
"""

import re
from collections import Counter
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from community import services
from community.models import ClubPage, Post, Reaction
from tests.factories import MemberFactory, make_club

pytestmark = pytest.mark.django_db

REACTION_KINDS = list(Reaction.Kind.values)


@pytest.fixture(autouse=True)
def _publish_at_once(settings):
    # The first-posts moderation rule is not what these tests are about: every post is published.
    settings.PADDOCK_MODERATE_FIRST_POSTS = 0


def jpeg(name: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), "image/jpeg")


class Community:
    """A club with a fixed set of members, who post, comment and react as a test asks."""

    def __init__(self):
        self.viewer = MemberFactory(display_name="Viewer Vee")
        self.people = [MemberFactory(display_name=f"Owner {n}") for n in range(6)]
        self.club = make_club(
            "Cooper S Owners", organisers=[self.people[0]], members=[self.viewer, *self.people[1:]]
        )
        self.other_club = make_club(
            "Sunday Drivers", organisers=[self.people[1]], members=[self.people[2], self.viewer]
        )
        self.posts: list[Post] = []

    def add_posts(
        self,
        count: int,
        *,
        photos: int,
        comments: int,
        reactions: int,
        club: ClubPage | None | str = "club",
    ) -> None:
        """``count`` posts by the members in turn: albums of ``photos`` photos, else stories."""
        if club == "club":
            club = self.club
        for _ in range(count):
            n = len(self.posts)
            author = self.people[n % len(self.people)]
            if club is self.other_club:
                author = self.people[1 + n % 2]  # its organiser and its member
            if photos:
                post = services.post_create(
                    author=author,
                    club=club,
                    kind=Post.Kind.ALBUM,
                    title=f"Album {n}",
                    photos=[
                        (jpeg(f"p{n}-{i}.jpg", (20 * i, 90, 160)), f"Photo {i} of album {n}")
                        for i in range(photos)
                    ],
                )
            else:
                post = services.post_create(
                    author=author, club=club, kind=Post.Kind.STORY, title=f"Story {n}", body="Text"
                )
            self.posts.append(post)
            self.add_comments(post, comments)
            self.add_reactions(post, reactions)

    def add_comments(self, post: Post, count: int) -> None:
        for i in range(count):
            author = self.people[i % len(self.people)]
            services.comment_create(post=post, author=author, body=f"Comment {i} on {post.title}")

    def add_reactions(self, post: Post, count: int, *, start: int = 0) -> None:
        """``count`` reactions of several kinds by several members (the viewer's first of all).

        ``start`` skips reactions an earlier call made, since reacting twice takes a reaction back.
        """
        reactors = [self.viewer, *self.people]
        for i in range(start, start + count):
            services.reaction_toggle(
                post=post,
                member=reactors[i % len(reactors)],
                kind=REACTION_KINDS[i % len(REACTION_KINDS)],
            )


def _normalised(sql: str) -> str:
    """SQL with literal ids and IN lists collapsed, so the query for other posts counts as the same."""
    sql = re.sub(r"\b\d+\b", "N", sql)
    return re.sub(r"IN \((?:%s|N)(?:, (?:%s|N))*\)", "IN (...)", sql)


class Measure:
    """The queries one GET ran, and its response."""

    def __init__(self, client, url: str):
        with CaptureQueriesContext(connection) as captured:
            self.response = client.get(url)
        assert self.response.status_code == 200, f"GET {url} gave {self.response.status_code}"
        self.queries = [q["sql"] for q in captured.captured_queries]
        self.count = len(self.queries)


def assert_same_count(small: Measure, large: Measure, what: str) -> None:
    if small.count == large.count:
        return
    before, after = (
        Counter(map(_normalised, small.queries)),
        Counter(map(_normalised, large.queries)),
    )
    grown = [
        f"  {before[sql]} -> {after[sql]}: {sql[:400]}" for sql in after if after[sql] > before[sql]
    ]
    pytest.fail(
        f"{what} ran {small.count} queries on the small dataset and {large.count} on the large "
        "one. Queries run more often on the large one:\n" + "\n".join(grown),
        pytrace=False,
    )


@pytest.fixture
def community(db) -> Community:
    return Community()


def _login(client, community: Community, viewer: str) -> None:
    if viewer == "member":
        client.force_login(community.viewer)


def _measure(client, url: str) -> Measure:
    # A first request warms caches (site root paths, settings) so both measures start alike.
    client.get(url)
    return Measure(client, url)


def _shown(measure: Measure, name: str = "posts") -> int:
    return len(measure.response.context[name])


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_community_feed_query_count_does_not_grow_with_posts(client, community, viewer):
    _login(client, community, viewer)
    community.add_posts(1, photos=1, comments=1, reactions=1)
    community.add_posts(1, photos=0, comments=1, reactions=1, club=None)
    small = _measure(client, "/community/")

    community.add_posts(4, photos=3, comments=5, reactions=6)
    community.add_posts(3, photos=3, comments=5, reactions=6, club=community.other_club)
    community.add_posts(1, photos=0, comments=5, reactions=6, club=None)
    large = _measure(client, "/community/")

    assert (_shown(small), _shown(large)) == (2, 10)
    assert_same_count(small, large, f"The community feed ({viewer})")


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_club_page_query_count_does_not_grow_with_posts(client, community, viewer):
    _login(client, community, viewer)
    community.add_posts(2, photos=1, comments=1, reactions=1)
    url = ClubPage.objects.get(pk=community.club.pk).url
    small = _measure(client, url)

    community.add_posts(8, photos=3, comments=5, reactions=6)
    community.add_posts(2, photos=3, comments=5, reactions=6, club=community.other_club)
    large = _measure(client, url)

    assert (_shown(small), _shown(large)) == (2, 10)
    assert_same_count(small, large, f"The club page ({viewer})")


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_post_detail_query_count_does_not_grow_with_comments(client, community, viewer):
    _login(client, community, viewer)
    community.add_posts(1, photos=1, comments=1, reactions=1)
    post = community.posts[0]
    small = _measure(client, post.get_absolute_url())

    community.add_comments(post, 9)  # 10 comments by six members
    community.add_reactions(post, 6, start=1)
    large = _measure(client, post.get_absolute_url())

    assert (_shown(small, "comments"), _shown(large, "comments")) == (1, 10)
    assert_same_count(small, large, f"The post page ({viewer})")


def test_datasets_really_grow(community):
    """The datasets the tests compare differ as intended (so equal counts mean something)."""
    community.add_posts(10, photos=3, comments=5, reactions=6)

    posts = Post.objects.filter(pk__in=[p.pk for p in community.posts])
    assert posts.filter(status=Post.Status.PUBLISHED).count() == 10
    assert sum(p.photos.count() for p in posts) == 30
    assert sum(p.comments.count() for p in posts) == 50
    assert Reaction.objects.filter(post__in=posts).values("kind").distinct().count() == len(
        REACTION_KINDS
    )
    assert Reaction.objects.filter(post__in=posts, member=community.viewer).count() == 10
