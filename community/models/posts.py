import os
from contextvars import ContextVar
from uuid import uuid4

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse

from community.sanitize import clean_html


class PhotoStorage(FileSystemStorage):
    """Member post photos live under PADDOCK_PHOTO_ROOT, outside MEDIA_ROOT, and have no public URL:
    a view serves them after checking who may see them (a private club's photos reach members alone).
    """

    @property
    def base_location(self):
        return str(settings.PADDOCK_PHOTO_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise NotImplementedError(
            "Post photos have no public URL; link to PostPhoto.get_absolute_url()."
        )


def get_photo_storage():
    """STORAGES["photos"] when configured (production may keep photos in a private S3 bucket),
    else the filesystem under PADDOCK_PHOTO_ROOT."""
    if "photos" in settings.STORAGES:
        from django.core.files.storage import storages

        return storages["photos"]
    return _photo_storage


_photo_storage = PhotoStorage()


def photo_path(instance, filename: str) -> str:
    return f"posts/{uuid4().hex[:2]}/{uuid4().hex}-{filename}"


_bodies_sanitised: ContextVar[bool] = ContextVar("paddock_post_bodies_sanitised", default=False)


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Post.Status.PUBLISHED)

    # Every way a body reaches the database through the ORM is sanitised: save(), create(),
    # bulk_create(), update() and bulk_update().
    def bulk_create(self, objs, *args, **kwargs):
        for obj in objs:
            obj.body = clean_html(obj.body)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        if "body" in fields:
            for obj in objs:
                obj.body = clean_html(obj.body)
        token = _bodies_sanitised.set(True)  # bulk_update writes them with a CASE expression
        try:
            return super().bulk_update(objs, fields, *args, **kwargs)
        finally:
            _bodies_sanitised.reset(token)

    def update(self, **kwargs):
        if "body" in kwargs and not _bodies_sanitised.get():
            if not isinstance(kwargs["body"], str):
                raise TypeError(
                    "Post.body can only be updated with a string, which is then sanitised."
                )
            kwargs["body"] = clean_html(kwargs["body"])
        return super().update(**kwargs)


class Post(models.Model):
    """A member's photo album or story, in the community feed or in a club."""

    class Kind(models.TextChoices):
        ALBUM = "album", "Photo album"
        STORY = "story", "Story"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        PUBLISHED = "published", "Published"
        HIDDEN = "hidden", "Hidden by a moderator"
        REMOVED = "removed", "Removed by a moderator"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    club = models.ForeignKey(
        "community.ClubPage", null=True, blank=True, on_delete=models.CASCADE, related_name="posts"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STORY)
    title = models.CharField(max_length=140)
    body = models.TextField(blank=True, help_text="Sanitised HTML.")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    moderation_reason = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    featured = models.BooleanField("feature on the home page", default=False)
    # Photos from an event (the photo drop): the event's page, and the cars seen there that the
    # author tagged. A Page FK, as community sits below events (see community/contributions.py).
    event_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The event these photos were taken at.",
    )
    cars = models.ManyToManyField(
        "community.Car", blank=True, related_name="tagged_posts", verbose_name="cars tagged"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["club", "status", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("community:post", kwargs={"pk": self.pk})

    @property
    def author_name(self) -> str:
        return self.author.display_name if self.author_id else "Former member"


class PostPhoto(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        storage=get_photo_storage, upload_to=photo_path, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(storage=get_photo_storage, upload_to=photo_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.caption or f"Photo {self.position + 1} of {self.post}"

    def get_absolute_url(self) -> str:
        return reverse("community:photo", kwargs={"pk": self.pk, "variant": "full"})

    @property
    def thumbnail_url(self) -> str:
        return reverse("community:photo", kwargs={"pk": self.pk, "variant": "thumb"})


class Comment(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        HIDDEN = "hidden", "Hidden by a moderator"
        REMOVED = "removed", "Removed by a moderator"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    body = models.TextField(max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    moderation_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment by {self.author_name} on {self.post}"

    @property
    def author_name(self) -> str:
        return self.author.display_name if self.author_id else "Former member"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", "Like"
        LOVE = "love", "Love"
        FIRE = "fire", "Fire"
        LAUGH = "laugh", "Haha"
        WOW = "wow", "Wow"

    EMOJI = {"like": "👍", "love": "❤️", "fire": "🔥", "laugh": "😂", "wow": "😮"}

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "member", "kind"], name="reaction_post_member_kind_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.kind} {self.post}"


class Report(models.Model):
    """A member's report of a post or comment; staff or the club's organisers resolve it."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Abusive or unkind"
        PRIVACY = "privacy", "Shares someone's private details"
        UNSAFE = "unsafe", "Dangerous driving or illegal"
        OTHER = "other", "Something else"

    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="reports_made"
    )
    reason = models.CharField(max_length=10, choices=Reason.choices)
    details = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(post__isnull=False) | models.Q(comment__isnull=False),
                name="report_has_target",
            )
        ]

    def __str__(self) -> str:
        target = self.post or self.comment
        return f"{self.get_reason_display()}: {target}"
