"""Images shown only on a private club's pages reach only the club's members.

An image used by private clubs alone (their pages and events: ``BasePage.private_club_id``, read
from Wagtail's reference index by ``image_usage`` below) is a *private image*:

- its original is renamed to an unguessable name starting with ``~`` (``original_images/`` itself
  is never served: paddock/media.py, the nginx example, the S3 bucket policy);
- its renditions, whose names Wagtail builds from the original's, then start with ``~`` too, and
  :class:`RenditionStorage` (``WAGTAILIMAGES_RENDITION_STORAGE``) keeps them in the private store
  of members' post photos (``STORAGES["photos"]``: ``PADDOCK_PHOTO_ROOT`` on disk, a private
  prefix on S3) instead of the public media, under ``club-images/``;
- their URL is ``/club-images/<name>``, a view that serves the file to the club's members and
  staff (``selectors.image_visible_to``, the rule of the club's posts) and 404 to anyone else.

Every other rendition is stored and served exactly as before. Uploaded names never contain ``~``
(storages drop it from names), so only Paddock names a file private.

``images_privacy_sync`` moves images in and out of the private store when what uses them changes:
after a page is published, unpublished, moved or deleted, after an image or the showroom's
settings are saved (``connect_signals``, called by ``CommunityConfig.ready``) and after every
``migrate`` (installs whose private clubs predate this). Renditions that existed are made again in their new place.
"""

import logging
import posixpath
from dataclasses import dataclass, field
from uuid import uuid4

from django.core.files.storage import Storage, default_storage, storages
from django.db import transaction
from django.urls import reverse
from django.utils.deconstruct import deconstructible

logger = logging.getLogger(__name__)

PRIVATE_MARK = "~"
PRIVATE_FOLDER = "club-images"  # in the private store (STORAGES["photos"])


def is_private_name(name: str) -> bool:
    return posixpath.basename(name).startswith(PRIVATE_MARK)


def _private_store() -> Storage:
    return storages["photos"]  # members' post photos (community.models.posts), never public


@deconstructible(path="community.private_images.RenditionStorage")
class RenditionStorage(Storage):
    """Wagtail's rendition storage: renditions of private images in the private store, every
    other one in the default storage (public media) as before. Backends are looked up on each
    call, so the storage follows the settings (filesystem or S3)."""

    def _backend(self, name: str) -> tuple[Storage, str]:
        if is_private_name(name):
            return _private_store(), f"{PRIVATE_FOLDER}/{posixpath.basename(name)}"
        return default_storage, name

    def get_valid_name(self, name):
        if name.startswith(PRIVATE_MARK):  # keep the mark that the default rule would drop
            return PRIVATE_MARK + super().get_valid_name(name[len(PRIVATE_MARK) :])
        return super().get_valid_name(name)

    def _open(self, name, mode="rb"):
        storage, stored = self._backend(name)
        return storage.open(stored, mode)

    def _save(self, name, content):
        storage, stored = self._backend(name)
        saved = storage.save(stored, content)
        if storage is default_storage:
            return saved
        return posixpath.join(posixpath.dirname(name), posixpath.basename(saved))

    def delete(self, name):
        storage, stored = self._backend(name)
        storage.delete(stored)

    def exists(self, name):
        storage, stored = self._backend(name)
        return storage.exists(stored)

    def size(self, name):
        storage, stored = self._backend(name)
        return storage.size(stored)

    def path(self, name):
        storage, stored = self._backend(name)
        return storage.path(stored)

    def get_modified_time(self, name):
        storage, stored = self._backend(name)
        return storage.get_modified_time(stored)

    def url(self, name):
        if is_private_name(name):
            return reverse("community:club_image", kwargs={"name": posixpath.basename(name)})
        return default_storage.url(name)


# --- Reads ----------------------------------------------------------------------------------------


@dataclass
class ImageUsage:
    """Where an image is shown: on anything public, and on the pages of which private clubs."""

    public: bool = False
    private_club_ids: set[int] = field(default_factory=set)

    @property
    def private(self) -> bool:
        return bool(self.private_club_ids) and not self.public


def image_usage(*, image_ids=None) -> dict[int, ImageUsage]:
    """Image id -> where it is used, from Wagtail's reference index (what the admin's "Usage" tab
    shows: choosers, StreamField blocks, rich text). A live page counts as public unless it belongs
    to a private club (``BasePage.private_club_id``); a private club's page counts whether live or
    not; a draft of any other page counts for nothing until published; anything that is not a page
    (site settings, snippets) counts as public."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.images import get_image_model
    from wagtail.models import Page, ReferenceIndex

    refs = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(get_image_model())
    )
    if image_ids is not None:
        refs = refs.filter(to_object_id__in=[str(pk) for pk in image_ids])
    page_type = ContentType.objects.get_for_model(Page).pk
    rows = set(refs.values_list("base_content_type_id", "object_id", "to_object_id"))
    pages = Page.objects.filter(pk__in={int(obj) for base, obj, _ in rows if base == page_type})
    pages = {page.pk: page for page in pages.specific()}
    usage: dict[int, ImageUsage] = {}
    for base, obj, image_id in rows:
        entry = usage.setdefault(int(image_id), ImageUsage())
        if base != page_type:
            entry.public = True
            continue
        page = pages.get(int(obj))
        club_id = getattr(page, "private_club_id", None)
        if club_id:
            entry.private_club_ids.add(club_id)
        elif page is not None and page.live:
            entry.public = True
    return usage


# --- Writes ---------------------------------------------------------------------------------------


def image_privacy_set(*, image, private: bool) -> None:
    """Give the image's original a fresh unguessable name, private (``~``) or not, and make its
    renditions again under that name: in the private store, or in the public media."""
    storage = image.file.storage
    old_name = image.file.name
    extension = posixpath.splitext(old_name)[1].lower() or ".jpg"
    stem = (PRIVATE_MARK if private else "") + uuid4().hex
    with storage.open(old_name, "rb") as original:
        new_name = storage.save(f"original_images/{stem}{extension}", original)
    specs = sorted(set(image.renditions.values_list("filter_spec", flat=True)))
    with transaction.atomic():
        type(image).objects.filter(pk=image.pk).update(file=new_name)
        for rendition in image.renditions.all():
            rendition.delete()  # its file goes once committed; Wagtail purges its cache entry
    transaction.on_commit(lambda: storage.delete(old_name))
    image.refresh_from_db()
    if specs:
        image.get_renditions(*specs)


def images_privacy_sync() -> tuple[int, int]:
    """Make private the images only private clubs use, public again the private ones something
    public now uses; returns how many were made (private, public). An image that nothing uses any
    more stays as it is."""
    from wagtail.images import get_image_model

    images = get_image_model().objects
    usage = image_usage()
    now_private = set(
        images.filter(file__startswith=f"original_images/{PRIVATE_MARK}").values_list(
            "pk", flat=True
        )
    )
    to_private = {pk for pk, used in usage.items() if used.private} - now_private
    to_public = {pk for pk in now_private if pk in usage and usage[pk].public}
    for private, ids in ((True, to_private), (False, to_public)):
        for image in images.filter(pk__in=ids):
            try:
                image_privacy_set(image=image, private=private)
            except FileNotFoundError:
                logger.warning("Image %s has no file to move (%s).", image.pk, image.file.name)
    return len(to_private), len(to_public)


# --- When to sync ---------------------------------------------------------------------------------


def _sync_after_commit(**kwargs) -> None:
    """After the transaction commits (Wagtail's reference index is then up to date). A failure
    is logged, never raised into the publish that caused it; the next sync retries."""
    if not kwargs.get("raw"):
        transaction.on_commit(images_privacy_sync, robust=True)


def _sync_after_migrate(**kwargs) -> None:
    try:
        with transaction.atomic():
            images_privacy_sync()
    except Exception:  # a partly migrated database: the next migrate or publish syncs
        logger.exception("Private club images were not synced after migrate.")


def connect_signals() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_migrate, post_save
    from wagtail.images import get_image_model
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for name, signal in (
        ("published", page_published),
        ("unpublished", page_unpublished),
        ("moved", post_page_move),
    ):
        signal.connect(_sync_after_commit, dispatch_uid=f"paddock.private_images.{name}")
    post_delete.connect(_sync_after_commit, sender=Page, dispatch_uid="paddock.private_images.del")
    post_save.connect(  # a logo is public
        _sync_after_commit,
        sender="community.DealershipSettings",
        dispatch_uid="paddock.private_images.settings",
    )
    # A new file uploaded over a private image arrives under a public name: make it private again.
    post_save.connect(
        _sync_after_commit, sender=get_image_model(), dispatch_uid="paddock.private_images.image"
    )
    post_migrate.connect(
        _sync_after_migrate,
        sender=apps.get_app_config("community"),
        dispatch_uid="paddock.private_images.migrate",
    )
