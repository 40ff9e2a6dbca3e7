"""Reads for the community app: what pages and views show.

The page models call these from ``get_context`` and ``serve``, so the models are read through their
module (``models.ClubPage``): this module is imported while ``community.models`` is loading.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from wagtail.models import Page

from community import models
from community.audience import as_audience
from community.contributions import CLUB_SECTIONS, HOME_SECTIONS, sections
from community.lazy import Lazy, lazy_context
from community.private_images import ImageUsage, image_usage
from community.showrooms import posts_of_showroom_q, public_q, under_q
from community.texts.selectors import conversation_export, mobile_summary
from paddock.page_cache import shared
from paddock.prepared import Prepared

FEED_PAGE_SIZE = 10


def page_at_path(*, url_path: str):
    """The specific page whose ``url_path`` is ``url_path`` (its own row: one query), or None.
    Which page and type a path names is read once per cache generation and kept in each process
    (``shared(..., memo=True)``): publishing, moving or deleting a page starts a new one."""
    digest = hashlib.sha256(url_path.encode()).hexdigest()[:32]
    found = shared(
        f"page-at:{digest}",
        lambda: Page.objects.filter(url_path=url_path).values_list("pk", "content_type_id").first(),
        memo=True,
    )
    if found is None:
        return None
    pk, content_type_id = found
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    return _PAGE_BY_PK.first(shape=model._meta.label, pk=pk)


# A page of a given type by its id: compiled once per process and type (every page a member opens).
_PAGE_BY_PK = Prepared(
    lambda shape, *, pk: apps.get_model(shape).objects.filter(pk=pk).order_by()[:1]
)


def public_garage_cars(*, limit: int = 6) -> QuerySet[models.Car]:
    """Recent cars with a photo whose owners show their garage to everyone."""
    return (
        models.Car.objects.filter(
            owner__is_active=True,
            owner__show_garage=True,
            owner__profile_visibility=models.Member.Visibility.PUBLIC,
        )
        .exclude(photo="")
        .select_related("owner", "car_model")
        .order_by("-created_at")[:limit]
    )


def home_sections(*, request, home) -> dict:
    """Everything the home page lists below its hero. Sections with nothing to show stay hidden."""
    viewer = request.user
    stories = (
        visible_posts(viewer=viewer, include_own_pending=False)
        .filter(posts_of_showroom_q(home))
        .order_by("-featured", "-created_at")[:3]
    )
    return {
        "garage_cars": Lazy(lambda: list(public_garage_cars())),
        "member_count": Lazy(
            lambda: models.Member.objects.filter(is_active=True, is_staff=False).count()
        ),
        "featured_clubs": Lazy(
            lambda: list(
                models.ClubPage.objects.live()
                .filter(public_q())
                .filter(under_q(home))
                .exclude(access=models.ClubPage.Access.PRIVATE)
                .filter(featured=True)
                .select_related("cover_image")
                .annotate(
                    member_count=Count(
                        "memberships", filter=Q(memberships__status=models.Membership.Status.ACTIVE)
                    )
                )
                .order_by("title")[:3]
            )
        ),
        "latest_stories": Lazy(
            lambda: decorate_posts(posts=list(with_feed_relations(stories)), viewer=viewer)
        ),
        **sections(HOME_SECTIONS, viewer=viewer, home=home),  # events, accessories
    }


def member_cars_of_request(request) -> list[models.Car]:
    """The signed-in member's cars with their models, newest model year first (none for a
    visitor): read once per request, for every part of the page that names them ("Fits your
    Cooper S", the cars an RSVP may name)."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return []
    cars = getattr(request, "_paddock_member_cars", None)
    if cars is None:
        cars = request._paddock_member_cars = list(member_garage(member=user))
    return cars


def member_garage(*, member: models.Member) -> QuerySet[models.Car]:
    """A member's cars with their models, newest model year first: their garage, and every list
    of their cars (the RSVP form's, "Fits your ...")."""
    return member.cars.select_related("car_model").order_by("-year", "pk")


def car_models_of_make(*, make: str) -> QuerySet[models.CarModel]:
    """The dealership's catalogue models of ``make`` (matched ignoring case: vininfo says "Mini")."""
    if not make:
        return models.CarModel.objects.none()
    return models.CarModel.objects.filter(make__iexact=make).order_by("name")


def member_export(*, member: models.Member) -> dict:
    """Everything Paddock holds about a member, as plain data for the download."""
    from allauth.account.models import EmailAddress

    return {
        "profile": {
            "email": member.email,
            "display_name": member.display_name,
            "town": member.town,
            "bio": member.bio,
            "avatar": member.avatar.url if member.avatar else None,
            "profile_visibility": member.profile_visibility,
            "show_garage": member.show_garage,
            "joined": member.date_joined.isoformat(),
            "last_login": member.last_login.isoformat() if member.last_login else None,
        },
        "email_preferences": {
            "invitations": member.email_invitations,
            "reminders": member.email_reminders,
            "community": member.email_community,
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=member).order_by("pk")
        ],
        "garage": [
            {
                "make": car.car_model.make,
                "model": car.car_model.name,
                "year": car.year,
                "trim": car.trim,
                "colour": car.colour,
                "nickname": car.nickname,
                "registration": car.registration,
                "vin": car.vin,
                "bought_on": car.bought_on.isoformat() if car.bought_on else None,
                "bought_here": car.bought_here,
                "photo": car.photo.url if car.photo else None,
            }
            for car in member_garage(member=member)
        ],
        "texts": mobile_summary(member=member),
        "texts_received_from_you": [  # events.InboundText, through its related name
            {
                "body": text.body,
                "from": text.from_number,
                "received_at": text.received_at.isoformat(),
                "what_paddock_did": text.get_outcome_display(),
            }
            for text in member.inbound_texts.order_by("received_at")
        ],
        "texts_with_the_showroom": conversation_export(member=member),
        "accessory_questions": [
            {
                "accessory": lead.accessory.title,
                "kind": lead.kind,
                "name": lead.name,
                "email": lead.email,
                "phone": lead.phone,
                "message": lead.message,
                "pick_up_at": lead.event.title if lead.event else None,
                "status": lead.status,
                "asked_at": lead.created_at.isoformat(),
            }
            for lead in member.accessory_leads.select_related("accessory", "event").order_by("pk")
        ],
        "car_interest": [
            {
                "kind": lead.kind,
                "about": lead.subject,
                "car": lead.car_label,
                "vin": lead.vin,
                "mileage": lead.mileage,
                "condition": lead.condition,
                "models": [str(m) for m in lead.car_models.all()],
                "timeframe": lead.timeframe,
                "message": lead.message,
                "status": lead.status,
                "asked_at": lead.created_at.isoformat(),
            }
            for lead in member.sales_leads.prefetch_related("car_models").order_by("pk")
        ],
    }


# --- Clubs ---------------------------------------------------------------------------------------


# A member's membership of a club, compiled once per process (every club page a member opens).
_MEMBERSHIP = Prepared(
    lambda shape, *, club_id, member_id: models.Membership.objects.filter(
        club_id=club_id, member_id=member_id
    ).order_by("pk")[:1]
)


def membership_of(*, club: models.ClubPage, member) -> models.Membership | None:
    if not getattr(member, "is_authenticated", False):
        return None
    return _MEMBERSHIP.first(club_id=club.pk, member_id=member.pk)


def is_club_member(*, club: models.ClubPage, member) -> bool:
    if not getattr(member, "is_authenticated", False):
        return False
    return models.Membership.objects.filter(
        club=club, member=member, status=models.Membership.Status.ACTIVE
    ).exists()


_NO_MEMBERSHIP_READ = object()


def can_manage_club(*, club: models.ClubPage, member, membership=_NO_MEMBERSHIP_READ) -> bool:
    """Staff, and the club's active organisers. ``membership``: the member's membership of the
    club (or None), when the caller has read it already (``membership_of``)."""
    if not getattr(member, "is_authenticated", False):
        return False
    if member.is_staff:
        return True
    if membership is _NO_MEMBERSHIP_READ:
        membership = membership_of(club=club, member=member)
    return bool(membership is not None and membership.is_organiser)


def club_visible_to(*, club: models.ClubPage, viewer) -> bool:
    """Private clubs exist only for their members, invitees and staff."""
    if not club.is_private:
        return True
    if not getattr(viewer, "is_authenticated", False):
        return False
    if viewer.is_staff:
        return True
    return models.Membership.objects.filter(
        club=club,
        member=viewer,
        status__in=[models.Membership.Status.ACTIVE, models.Membership.Status.INVITED],
    ).exists()


def private_club_page_ids() -> frozenset[int]:
    """Every private club's page id, read once per cache generation and kept in each process
    (a club becomes private, or stops being, when its page is published: a new generation)."""
    return shared(
        "private-club-page-ids",
        lambda: frozenset(
            models.ClubPage.objects.filter(access=models.ClubPage.Access.PRIVATE).values_list(
                "pk", flat=True
            )
        ),
        memo=True,
    )


# The clubs a member is active in: compiled once per process (it runs on most members' pages).
_ACTIVE_CLUB_IDS = Prepared(
    lambda shape, *, member_id: models.Membership.objects.filter(
        member_id=member_id, status=models.Membership.Status.ACTIVE
    ).values_list("club_id")
)


def private_club_ids_visible_to(viewer) -> list[int]:
    """The private clubs whose content (posts, their photos, the images their pages show) the
    viewer may see: staff all of them, members the clubs they are active in (invitees see the
    club page, to accept, not its content). No query while there is no private club."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    known = getattr(viewer, "_paddock_private_club_ids", None)  # the request's (page_parts)
    if known is not None:
        return list(known)
    private = private_club_page_ids()
    if viewer.is_staff or not private:
        return sorted(private) if viewer.is_staff else []
    active = _ACTIVE_CLUB_IDS.all(member_id=viewer.pk)
    return sorted(private.intersection(club_id for (club_id,) in active))


def clubs_visible_to(*, viewer, parent=None) -> list[models.ClubPage]:
    qs = models.ClubPage.objects.live().filter(public_q()).select_related("cover_image")
    if parent is not None:
        qs = qs.child_of(parent)
    qs = qs.filter(
        ~Q(access=models.ClubPage.Access.PRIVATE) | Q(pk__in=private_club_ids_visible_to(viewer))
    )
    return list(
        qs.annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__status=models.Membership.Status.ACTIVE)
            )
        ).order_by("title")
    )


def club_ids_of(*, member) -> set[int]:
    return set(
        models.Membership.objects.filter(
            member=member, status=models.Membership.Status.ACTIVE
        ).values_list("club_id", flat=True)
    )


def clubs_suggested_for(*, member, root=None) -> list[models.ClubPage]:
    """Clubs for the models in the member's garage that they have not joined (private ones
    excluded); ``root``: only the clubs of this showroom."""
    model_ids = member.cars.values_list("car_model_id", flat=True)
    return list(
        models.ClubPage.objects.live()
        .filter(public_q())
        .filter(under_q(root))
        .exclude(access=models.ClubPage.Access.PRIVATE)
        .filter(car_models__in=model_ids)
        .exclude(memberships__member=member)
        .select_related("cover_image")
        .distinct()
        .order_by("title")[:6]
    )


def club_page_context(*, club: models.ClubPage, viewer, page_number) -> dict:
    """A club page: the viewer's membership and what they may do, the members listed, the club's
    events and a page of its posts. Each value ``Lazy`` (see community/page_parts.py)."""
    membership = Lazy(lambda: membership_of(club=club, member=viewer))
    active = models.Membership.objects.filter(
        club=club, status=models.Membership.Status.ACTIVE
    ).select_related("member")
    actives = Lazy(lambda: list(active.order_by("-role", "created_at")))
    members = Lazy(lambda: [m.member for m in actives])
    # Listed as every member of the viewer's audience sees the club (community.audience): the
    # same list for all of them, so it is part of the club page's shared body.
    listed = Lazy(lambda: [m for m in members if m.profile_visible_to(as_audience(viewer))])
    can_manage = Lazy(
        lambda: can_manage_club(club=club, member=viewer, membership=membership or None)
    )
    posts = visible_posts(viewer=viewer).filter(club=club)
    return {
        "membership": membership,
        "is_member": Lazy(lambda: bool(membership and membership.is_active)),
        "can_manage": can_manage,
        "member_total": Lazy(lambda: len(members)),
        "listed_members": Lazy(lambda: listed[:24]),
        "unlisted_member_count": Lazy(lambda: len(members) - len(listed[:24])),
        "organisers": Lazy(
            lambda: [m.member for m in actives if m.role == models.Membership.Role.ORGANISER]
        ),
        "pending_count": Lazy(
            lambda: (
                club.memberships.filter(status=models.Membership.Status.PENDING).count()
                if can_manage
                else 0
            )
        ),
        **sections(CLUB_SECTIONS, viewer=viewer, club=club),  # the club's events
        **lazy_context(
            lambda: feed_page(posts=posts, viewer=viewer, page_number=page_number),
            ("feed_page", "posts"),
        ),
    }


# --- Posts ---------------------------------------------------------------------------------------


def visible_posts(*, viewer, include_own_pending: bool = True) -> QuerySet[models.Post]:
    """Published posts the viewer may see (and their own posts waiting for approval)."""
    visible_club = Q(club__isnull=True) | ~Q(club__access=models.ClubPage.Access.PRIVATE)
    private_ids = private_club_ids_visible_to(viewer)
    if private_ids:
        visible_club |= Q(club_id__in=private_ids)
    shown = Q(status=models.Post.Status.PUBLISHED)
    if include_own_pending and getattr(viewer, "is_authenticated", False):
        shown |= Q(status=models.Post.Status.PENDING, author=viewer)
    return models.Post.objects.filter(
        shown & visible_club & (Q(club__isnull=True) | Q(club__live=True))
    )


def post_visible_to(*, post: models.Post, viewer) -> bool:
    if getattr(viewer, "is_authenticated", False) and (
        viewer.is_staff or post.author_id == viewer.pk
    ):
        return True
    if post.club_id and post.club.is_private and not is_club_member(club=post.club, member=viewer):
        return False  # a private club's content is for its active members alone
    if post.status == models.Post.Status.PUBLISHED:
        return True
    return post.club_id is not None and can_manage_club(club=post.club, member=viewer)


def can_moderate_post(*, post: models.Post, member) -> bool:
    if not getattr(member, "is_authenticated", False):
        return False
    if member.is_staff:
        return True
    return post.club_id is not None and can_manage_club(club=post.club, member=member)


def with_feed_relations(qs: QuerySet[models.Post]) -> QuerySet[models.Post]:
    return (
        qs.select_related("author", "club")
        .prefetch_related(
            Prefetch("photos", queryset=models.PostPhoto.objects.order_by("position", "pk"))
        )
        .annotate(
            comment_count=Count(
                "comments",
                filter=Q(comments__status=models.Comment.Status.PUBLISHED),
                distinct=True,
            )
        )
    )


# A member's own reactions to a post, compiled once per process (every story a member opens).
_MY_REACTIONS = Prepared(
    lambda shape, *, post_id, member_id: models.Reaction.objects.filter(
        post_id=post_id, member_id=member_id
    ).values_list("kind")
)


def reaction_marks(*, post: models.Post, member) -> dict[str, str]:
    """Which reactions to ``post`` are ``member``'s own, as the member marks of a shared story
    page: ``reaction_mine_<kind>`` (the button's class) and ``reaction_pressed_<kind>``."""
    mine = set()
    if getattr(member, "is_authenticated", False):
        mine = {kind for (kind,) in _MY_REACTIONS.all(post_id=post.pk, member_id=member.pk)}
    marks = {}
    for kind in models.Reaction.Kind.values:
        marks[f"reaction_mine_{kind}"] = " reaction--mine" if kind in mine else ""
        marks[f"reaction_pressed_{kind}"] = "true" if kind in mine else "false"
    return marks


def decorate_posts(*, posts: list[models.Post], viewer) -> list[models.Post]:
    """Attach reaction counts and the viewer's own reactions to posts, in two queries whatever their number."""
    ids = [p.pk for p in posts]
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    mine: dict[int, set[str]] = defaultdict(set)
    if ids:
        for row in (
            models.Reaction.objects.filter(post_id__in=ids)
            .values("post_id", "kind")
            .annotate(n=Count("pk"))
        ):
            counts[row["post_id"]][row["kind"]] = row["n"]
        if getattr(viewer, "is_authenticated", False):
            for post_id, kind in models.Reaction.objects.filter(
                post_id__in=ids, member=viewer
            ).values_list("post_id", "kind"):
                mine[post_id].add(kind)
    for post in posts:
        post.reaction_summary = [
            {
                "kind": kind,
                "emoji": models.Reaction.EMOJI[kind],
                "label": label,
                "count": counts[post.pk].get(kind, 0),
                "mine": kind in mine[post.pk],
            }
            for kind, label in models.Reaction.Kind.choices
        ]
    return posts


def feed_page(*, posts: QuerySet[models.Post], viewer, page_number) -> dict:
    paginator = Paginator(with_feed_relations(posts).order_by("-created_at", "-pk"), FEED_PAGE_SIZE)
    page = paginator.get_page(page_number)
    return {"feed_page": page, "posts": decorate_posts(posts=list(page.object_list), viewer=viewer)}


def post_comments(*, post: models.Post, viewer) -> list[models.Comment]:
    qs = post.comments.select_related("author")
    if not can_moderate_post(post=post, member=viewer):
        qs = qs.filter(status=models.Comment.Status.PUBLISHED)
    return list(qs)


def moderation_queue(*, club: models.ClubPage | None = None) -> dict:
    open_post_reports = models.Report.objects.filter(post=OuterRef("pk"), resolved_at__isnull=True)
    open_comment_reports = models.Report.objects.filter(
        comment=OuterRef("pk"), resolved_at__isnull=True
    )
    posts = models.Post.objects.filter(
        Q(status=models.Post.Status.PENDING) | Exists(open_post_reports)
    )
    comments = models.Comment.objects.filter(Exists(open_comment_reports))
    if club is not None:
        posts = posts.filter(club=club)
        comments = comments.filter(post__club=club)
    return {
        "pending_posts": list(with_feed_relations(posts).order_by("created_at")),
        "reported_comments": list(comments.select_related("author", "post")),
        "open_reports": list(
            models.Report.objects.filter(resolved_at__isnull=True)
            .filter(Q(post__club=club) | Q(comment__post__club=club) if club else Q())
            .select_related("reporter", "post", "comment")
        ),
    }


def active_staff() -> QuerySet:
    """Staff who can be assigned work (advisors, leads), by name."""
    return models.Member.objects.filter(is_staff=True, is_active=True).order_by(
        "display_name", "pk"
    )


# --- Images of private clubs ---------------------------------------------------------------------


def image_visible_to(*, image, viewer) -> bool:
    """A private club's image reaches those who may see the club's content (the rule of its
    posts and their photos), and staff; an image shown anywhere public reaches everyone."""
    usage = image_usage(image_ids=[image.pk]).get(image.pk, ImageUsage())
    if usage.public:
        return True
    if getattr(viewer, "is_authenticated", False) and viewer.is_staff:
        return True  # the admin's previews, and images no page uses yet
    if usage.private_club_ids & set(private_club_ids_visible_to(viewer)):
        return True
    return _cover_of_a_club_inviting(image=image, club_ids=usage.private_club_ids, viewer=viewer)


def _cover_of_a_club_inviting(*, image, club_ids: set[int], viewer) -> bool:
    """An invitee sees the private club's page before accepting, cover included; the club's
    other images (its description's, its events', its posts') wait until they join."""
    if not getattr(viewer, "is_authenticated", False) or not club_ids:
        return False
    return models.ClubPage.objects.filter(
        pk__in=club_ids,
        cover_image=image,
        memberships__member=viewer,
        memberships__status=models.Membership.Status.INVITED,
    ).exists()
