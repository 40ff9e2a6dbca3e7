import re
from uuid import uuid4

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import slugify


def phone_key(value: str) -> str:
    """A phone number reduced to its national digits, for matching ("+44 7700 900123" ==
    "07700-900123"). The country code comes from PADDOCK_PHONE_COUNTRY_CODE (44 by default)."""
    value = (value or "").replace("(0)", "")  # "+44 (0)7700 ...": the trunk zero is not dialled
    digits = re.sub(r"\D", "", value)
    if value.strip().startswith("+") or digits.startswith("00"):
        digits = digits.removeprefix("00")
        country = settings.PADDOCK_PHONE_COUNTRY_CODE
        if digits.startswith(country):
            digits = "0" + digits[len(country) :]
        else:
            digits = "+" + digits  # a foreign number keeps its country code
    return digits


def avatar_path(instance: "Member", filename: str) -> str:
    return f"members/avatars/{uuid4().hex}/{filename}"


class MemberManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("A member needs an email address.")
        member = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        member.set_password(password)
        member.save(using=self._db)
        return member

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class Member(AbstractUser):
    """Everyone with an account: owners, and staff (``is_staff``) who also run the Wagtail admin."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Everyone, including visitors"
        MEMBERS = "members", "Signed-in members only"
        PRIVATE = "private", "Only me (and dealership staff)"

    username = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=60, help_text="How other members see you.")
    handle = models.SlugField(max_length=80, unique=True, editable=False)
    town = models.CharField(max_length=80, blank=True)
    bio = models.TextField(
        max_length=600, blank=True, help_text="A few words about you and your cars."
    )
    avatar = models.ImageField(upload_to=avatar_path, blank=True)
    profile_visibility = models.CharField(
        "who can see my profile",
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    show_garage = models.BooleanField("show my garage on my profile", default=True)
    phone = models.CharField(
        max_length=30, blank=True, help_text="Only you and dealership staff see it."
    )
    phone_key = models.CharField(max_length=30, blank=True, editable=False, db_index=True)
    advisor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="advised_members",
        limit_choices_to={"is_staff": True, "is_active": True},
        help_text="The member of staff who looks after this owner.",
    )
    email_invitations = models.BooleanField("event invitations", default=True)
    email_reminders = models.BooleanField("event reminders", default=True)
    email_community = models.BooleanField("club news and replies to my posts", default=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = MemberManager()

    class Meta:
        verbose_name = "member"
        constraints = [models.UniqueConstraint(Lower("email"), name="member_email_ci_unique")]

    def __str__(self) -> str:
        return self.display_name or self.email

    def save(self, *args, **kwargs):
        if self.email:
            self.email = self.email.strip().lower()
        self.phone = " ".join(self.phone.split())
        self.phone_key = phone_key(self.phone)
        if not self.display_name:
            # Never derived from the email address, which members expect to stay private.
            self.display_name = f"{self.first_name} {self.last_name}".strip()[:60] or "New member"
        if not self.handle:
            self.handle = f"{slugify(self.display_name)[:60] or 'member'}-{uuid4().hex[:6]}"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("community:profile", kwargs={"handle": self.handle})

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    def profile_visible_to(self, viewer) -> bool:
        if viewer.is_authenticated and (viewer.pk == self.pk or viewer.is_staff):
            return True
        if self.profile_visibility == self.Visibility.PUBLIC:
            return True
        return self.profile_visibility == self.Visibility.MEMBERS and viewer.is_authenticated

    def garage_visible_to(self, viewer) -> bool:
        if viewer.is_authenticated and (viewer.pk == self.pk or viewer.is_staff):
            return True
        return self.show_garage and self.profile_visible_to(viewer)
