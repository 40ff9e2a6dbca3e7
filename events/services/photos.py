"""An event's album: members who were there add their photos, tagged with the cars seen there.

The photos are a community post (``community.services.post_create``: the same album rules and the
same first-post moderation as any post), tied to the event page and to the cars tagged.
"""

from django.db import transaction

from community.models import Member, Post
from community.services import CommunityError, post_create
from events import selectors
from events.models import EventPage


class AlbumError(Exception):
    """An album rule said no; ``code`` is machine-readable, the message is for the member."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


@transaction.atomic
def event_photos_add(
    *,
    event: EventPage,
    author: Member,
    title: str,
    photos: list[tuple],
    car_ids: list[int] = (),
) -> Post:
    """Add ``photos`` ((file, caption) pairs, already checked by ``uploads.clean_photo_uploads``)
    to the event's album as one post of ``author``'s, tagged with ``car_ids``.

    Only members checked in at the event (and staff) add photos, and only cars checked in at the
    event can be tagged. A member's first posts wait for a moderator, as everywhere."""
    if not selectors.may_add_event_photos(event=event, member=author):
        raise AlbumError(
            "Only members checked in at this event can add photos to its album.",
            code="not_checked_in",
        )
    cars = list(selectors.taggable_cars(event=event).filter(pk__in=list(car_ids)))
    if len(cars) != len(set(car_ids)):
        raise AlbumError(
            "Tag only the cars that were checked in at this event.", code="car_not_checked_in"
        )
    club = event.host_club if event.private_club_id else None  # a private club's photos stay in it
    try:
        post = post_create(
            author=author, club=club, kind=Post.Kind.ALBUM, title=title, photos=photos
        )
    except CommunityError as error:
        raise AlbumError(str(error), code=error.code) from None
    post.event_page_id = event.pk
    post.save(update_fields=["event_page", "updated_at"])
    post.cars.set(cars)
    return post
