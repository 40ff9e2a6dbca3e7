"""Writes for the community app: plain functions called by views, admin and tasks alike."""

from typing import Literal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from community import selectors, showrooms
from community.mail import absolute_url, mail_site, queue_mail
from community.models import (
    Car,
    ClubPage,
    Comment,
    Member,
    Membership,
    Post,
    PostPhoto,
    Reaction,
    Report,
)
from community.sanitize import text_to_html
from community.texts.services import mobile_forget
from community.uploads import make_thumbnail
from paddock.page_cache import page_cache_clear

Contributions = Literal["remove", "anonymise"]


class CommunityError(Exception):
    """A domain rule said no; ``code`` is machine-readable, the message is for people."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def _delete_file_on_commit(field_file) -> None:
    if field_file:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def car_save(*, car: Car) -> Car:
    """Save a car a member added or edited, removing a replaced photo file once committed."""
    if car.pk:
        old_photo = Car.objects.filter(pk=car.pk).values_list("photo", flat=True).first()
        if old_photo and old_photo != car.photo.name:
            _delete_file_on_commit(Car(photo=old_photo).photo)
    car.full_clean()
    car.save()
    return car


@transaction.atomic
def car_delete(*, car: Car, member: Member) -> None:
    if car.owner_id != member.pk:
        raise CommunityError("Only the owner can remove a car from a garage.", code="not_owner")
    _delete_file_on_commit(car.photo)
    car.delete()


@transaction.atomic
def member_profile_save(*, member: Member, old_avatar: str = "") -> Member:
    """Save a member's profile. Visitors' cached pages and members' shared bodies show profiles
    (names, avatars, who may see them): they are dropped once it is saved."""
    if old_avatar and old_avatar != member.avatar.name:
        _delete_file_on_commit(Member(avatar=old_avatar).avatar)
    member.save()
    transaction.on_commit(page_cache_clear)
    return member


@transaction.atomic
def member_delete(*, member: Member, contributions: Contributions) -> None:
    """Delete a member's account for good: profile, garage, photos and email addresses.

    ``contributions`` says what happens to what they posted in the community: ``"remove"`` deletes
    it, ``"anonymise"`` keeps it under "Former member". Apps that hold contributions handle both.
    """
    if contributions not in ("remove", "anonymise"):
        raise CommunityError(
            "Choose whether to remove or anonymise your posts.", code="contributions"
        )
    if member.is_superuser:
        raise CommunityError(
            "A superuser account cannot be deleted from the site; ask another administrator.",
            code="superuser",
        )
    _delete_file_on_commit(member.avatar)
    transaction.on_commit(page_cache_clear)  # cached pages show them and what they posted
    for car in member.cars.all():
        _delete_file_on_commit(car.photo)
    if contributions == "remove":
        for post in member.posts.all():
            _delete_post_files(post)
        member.posts.all().delete()
        member.comments.all().delete()
    # Otherwise posts and comments stay, their author set to nobody ("Former member").
    # Leads stay for the dealership's figures, without who asked or what they wrote.
    member.accessory_leads.update(name="Former member", email="", phone="", message="")
    member.sales_leads.update(name="Former member", email="", phone="", message="", vin="")
    mobile_forget(member=member)  # the number, its codes and consent; texts not sent yet
    member.delete()


# --- Clubs ---------------------------------------------------------------------------------------


def _club_context(club: ClubPage) -> dict:
    return {"club_name": club.title, "club_url": showrooms.site_page_url(club)}


def _organiser_emails(club: ClubPage) -> list[str]:
    emails = list(
        Membership.objects.filter(
            club=club, status=Membership.Status.ACTIVE, role=Membership.Role.ORGANISER
        ).values_list("member__email", flat=True)
    )
    if not emails:
        emails = [e for e in [showrooms.contact_email(mail_site(club))] if e]
    return emails


@transaction.atomic
def club_join(*, club: ClubPage, member: Member) -> Membership:
    """Join an open club, or ask to join an approval club (its organisers are emailed)."""
    if club.access == ClubPage.Access.PRIVATE:
        existing = Membership.objects.filter(club=club, member=member).first()
        if existing and existing.status == Membership.Status.INVITED:
            return club_invitation_accept(membership=existing, member=member)
        raise CommunityError("This club is invitation only.", code="invitation_only")
    membership, _ = Membership.objects.select_for_update().get_or_create(
        club=club, member=member, defaults={"status": Membership.Status.PENDING}
    )
    if membership.status == Membership.Status.ACTIVE:
        return membership
    if club.access == ClubPage.Access.OPEN or membership.status == Membership.Status.INVITED:
        membership.status = Membership.Status.ACTIVE
        membership.decided_at = timezone.now()
        membership.save(update_fields=["status", "decided_at"])
        return membership
    membership.status = Membership.Status.PENDING
    membership.save(update_fields=["status"])
    queue_mail(
        template="club_request",
        to=_organiser_emails(club),
        context={
            **_club_context(club),
            "member_name": member.display_name,
            "manage_url": absolute_url(f"/clubs/{club.pk}/manage/", site=mail_site(club)),
        },
        site=mail_site(club),
    )
    return membership


@transaction.atomic
def club_leave(*, club: ClubPage, member: Member) -> None:
    Membership.objects.filter(club=club, member=member).delete()


@transaction.atomic
def membership_decide(*, membership: Membership, by: Member, approve: bool) -> Membership:
    """An organiser or staff approves or declines a request to join; the member is emailed either way."""
    if not selectors.can_manage_club(club=membership.club, member=by):
        raise CommunityError(
            "Only the club's organisers or staff can decide.", code="not_organiser"
        )
    if membership.status != Membership.Status.PENDING:
        raise CommunityError("This request has already been decided.", code="already_decided")
    membership.status = Membership.Status.ACTIVE if approve else Membership.Status.DECLINED
    membership.decided_by = by
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "decided_by", "decided_at"])
    queue_mail(
        template="club_request_approved" if approve else "club_request_declined",
        to=[membership.member.email],
        context={**_club_context(membership.club), "member_name": membership.member.display_name},
        site=mail_site(membership.club),
    )
    return membership


@transaction.atomic
def club_invite(*, club: ClubPage, by: Member, member: Member) -> Membership:
    """Invite an existing member to a club (the only way into a private club)."""
    if not selectors.can_manage_club(club=club, member=by):
        raise CommunityError(
            "Only the club's organisers or staff can invite.", code="not_organiser"
        )
    membership, created = Membership.objects.get_or_create(
        club=club, member=member, defaults={"status": Membership.Status.INVITED, "decided_by": by}
    )
    if not created:
        if membership.status == Membership.Status.ACTIVE:
            raise CommunityError(f"{member} is already a member.", code="already_member")
        membership.status = Membership.Status.INVITED
        membership.decided_by = by
        membership.save(update_fields=["status", "decided_by"])
    queue_mail(
        template="club_invitation",
        to=[member.email],
        context={
            **_club_context(club),
            "member_name": member.display_name,
            "inviter_name": by.display_name,
            "accept_url": absolute_url(f"/clubs/{club.pk}/invitation/", site=mail_site(club)),
        },
        site=mail_site(club),
    )
    return membership


@transaction.atomic
def club_invitation_accept(*, membership: Membership, member: Member) -> Membership:
    if membership.member_id != member.pk or membership.status != Membership.Status.INVITED:
        raise CommunityError("There is no invitation to accept.", code="no_invitation")
    membership.status = Membership.Status.ACTIVE
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "decided_at"])
    return membership


# --- Posts ---------------------------------------------------------------------------------------


def _needs_approval(author: Member) -> bool:
    if author.is_staff:
        return False
    first_n = settings.PADDOCK_MODERATE_FIRST_POSTS
    return (
        first_n > 0
        and Post.objects.filter(author=author, status=Post.Status.PUBLISHED).count() < first_n
    )


@transaction.atomic
def post_create(
    *,
    author: Member,
    club: ClubPage | None,
    kind: str,
    title: str,
    body: str = "",
    photos: list[tuple] = (),
) -> Post:
    """A member posts a story or an album (1-20 photos given as (file, caption) pairs).

    Posts of members with fewer than PADDOCK_MODERATE_FIRST_POSTS published posts wait for a
    moderator. Photos are files already checked and re-encoded by ``uploads.PhotoField``.
    """
    if club is not None and not selectors.is_club_member(club=club, member=author):
        raise CommunityError("Join the club to post in it.", code="not_member")
    if kind == Post.Kind.ALBUM and not 1 <= len(photos) <= settings.PADDOCK_MAX_ALBUM_PHOTOS:
        raise CommunityError(
            f"An album has 1 to {settings.PADDOCK_MAX_ALBUM_PHOTOS} photos.", code="album_size"
        )
    if kind == Post.Kind.STORY and not body.strip():
        raise CommunityError("A story needs some text.", code="empty_story")
    post = Post.objects.create(
        author=author,
        club=club,
        kind=kind,
        title=title.strip(),
        body=text_to_html(body),
        status=Post.Status.PENDING if _needs_approval(author) else Post.Status.PUBLISHED,
    )
    for position, (upload, caption) in enumerate(photos):
        _photo_add(post=post, upload=upload, caption=caption, position=position)
    return post


def _photo_add(*, post: Post, upload, caption: str, position: int) -> PostPhoto:
    photo = PostPhoto(post=post, caption=(caption or "").strip()[:300], position=position)
    photo.image.save(upload.name, upload, save=False)
    photo.thumbnail.save(f"thumb-{upload.name}", make_thumbnail(upload), save=False)
    photo.save()
    return photo


def _delete_post_files(post: Post) -> None:
    for photo in post.photos.all():
        _delete_file_on_commit(photo.image)
        _delete_file_on_commit(photo.thumbnail)


def _require_author(post: Post, member: Member) -> None:
    if post.author_id != member.pk:
        raise CommunityError("Only the author can change this post.", code="not_author")


@transaction.atomic
def post_update(
    *, post: Post, by: Member, title: str, body: str = "", captions: dict | None = None
) -> Post:
    _require_author(post, by)
    if post.kind == Post.Kind.STORY and not body.strip():
        raise CommunityError("A story needs some text.", code="empty_story")
    post.title = title.strip()
    post.body = text_to_html(body)
    post.save(update_fields=["title", "body", "updated_at"])
    for photo in post.photos.all():
        if captions and photo.pk in captions:
            photo.caption = captions[photo.pk].strip()[:300]
            photo.save(update_fields=["caption"])
    return post


@transaction.atomic
def post_delete(*, post: Post, by: Member) -> None:
    _require_author(post, by)
    _delete_post_files(post)
    post.delete()


def _post_site(post: Post):
    """A club post speaks for its club's showroom; a post outside any club for the default one."""
    return mail_site(post.club if post.club_id else None)


@transaction.atomic
def comment_create(*, post: Post, author: Member, body: str) -> Comment:
    if (
        not selectors.post_visible_to(post=post, viewer=author)
        or post.status != Post.Status.PUBLISHED
    ):
        raise CommunityError("You cannot comment on this post.", code="not_visible")
    body = body.strip()
    if not body:
        raise CommunityError("Write something first.", code="empty_comment")
    comment = Comment.objects.create(post=post, author=author, body=body[:2000])
    if post.author_id and post.author_id != author.pk and post.author.email_community:
        queue_mail(
            template="post_commented",
            to=[post.author.email],
            context={
                "post_title": post.title,
                "post_url": absolute_url(post.get_absolute_url(), site=_post_site(post)),
                "commenter_name": author.display_name,
                "comment": comment.body[:500],
            },
            site=_post_site(post),
        )
    return comment


@transaction.atomic
def reaction_toggle(*, post: Post, member: Member, kind: str) -> bool:
    """Add the member's reaction of this kind, or take it back; True when it is now there."""
    if kind not in Reaction.Kind.values:
        raise CommunityError("Unknown reaction.", code="reaction_kind")
    if (
        not selectors.post_visible_to(post=post, viewer=member)
        or post.status != Post.Status.PUBLISHED
    ):
        raise CommunityError("You cannot react to this post.", code="not_visible")
    deleted, _ = Reaction.objects.filter(post=post, member=member, kind=kind).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, member=member, kind=kind)
    except IntegrityError:  # a double click: the reaction is there either way
        pass
    return True


@transaction.atomic
def report_create(
    *,
    reporter: Member,
    reason: str,
    details: str = "",
    post: Post | None = None,
    comment: Comment | None = None,
) -> Report:
    target_post = post or comment.post
    if not selectors.post_visible_to(post=target_post, viewer=reporter):
        raise CommunityError("You cannot report this.", code="not_visible")
    if reason not in Report.Reason.values:
        raise CommunityError("Choose a reason.", code="reason")
    return Report.objects.create(
        reporter=reporter, reason=reason, details=details.strip()[:1000], post=post, comment=comment
    )


def _moderation_check(*, allowed: bool, action: str, reason: str, what: str) -> str:
    """The checks every moderation shares; returns the cleaned reason."""
    if not allowed:
        raise CommunityError(
            f"Only staff or the club's organisers can moderate this {what}.", code="not_moderator"
        )
    if action not in ("approve", "hide", "remove"):
        raise CommunityError("Unknown moderation action.", code="action")
    reason = reason.strip()
    if action != "approve" and not reason:
        raise CommunityError("Give a reason: the author will read it.", code="reason_required")
    return reason


def _resolve_reports(*, by: Member, **target) -> None:
    Report.objects.filter(resolved_at__isnull=True, **target).update(
        resolved_at=timezone.now(), resolved_by=by
    )


@transaction.atomic
def post_moderate(*, post: Post, by: Member, action: str, reason: str = "") -> Post:
    """Approve, hide or remove a post; hiding and removing need a reason, which is emailed to the author."""
    reason = _moderation_check(
        allowed=selectors.can_moderate_post(post=post, member=by),
        action=action,
        reason=reason,
        what="post",
    )
    post.status = {
        "approve": Post.Status.PUBLISHED,
        "hide": Post.Status.HIDDEN,
        "remove": Post.Status.REMOVED,
    }[action]
    post.moderation_reason = reason
    post.moderated_by = by
    post.moderated_at = timezone.now()
    post.save(
        update_fields=["status", "moderation_reason", "moderated_by", "moderated_at", "updated_at"]
    )
    _resolve_reports(by=by, post=post)
    if post.author_id:
        queue_mail(
            template={"approve": "post_approved", "hide": "post_hidden", "remove": "post_removed"}[
                action
            ],
            to=[post.author.email],
            context={
                "member_name": post.author.display_name,
                "post_title": post.title,
                "post_url": absolute_url(post.get_absolute_url(), site=_post_site(post)),
                "reason": reason,
            },
            site=_post_site(post),
        )
    return post


@transaction.atomic
def comment_moderate(*, comment: Comment, by: Member, action: str, reason: str = "") -> Comment:
    reason = _moderation_check(
        allowed=selectors.can_moderate_post(post=comment.post, member=by),
        action=action,
        reason=reason,
        what="comment",
    )
    comment.status = {
        "approve": Comment.Status.PUBLISHED,
        "hide": Comment.Status.HIDDEN,
        "remove": Comment.Status.REMOVED,
    }[action]
    comment.moderation_reason = reason
    comment.save(update_fields=["status", "moderation_reason"])
    _resolve_reports(by=by, comment=comment)
    if comment.author_id and action != "approve":
        queue_mail(
            template="comment_moderated",
            to=[comment.author.email],
            context={
                "member_name": comment.author.display_name,
                "post_title": comment.post.title,
                "comment": comment.body[:500],
                "action": "hidden" if action == "hide" else "removed",
                "reason": reason,
            },
            site=_post_site(comment.post),
        )
    return comment


@transaction.atomic
def post_feature(*, post: Post, by: Member, featured: bool) -> Post:
    if not by.is_staff:
        raise CommunityError("Only staff can feature a story.", code="not_staff")
    post.featured = featured
    post.save(update_fields=["featured", "updated_at"])
    return post
