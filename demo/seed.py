"""Running the demo dealership's steps: ``seed_demo()``, the context the steps share, the report.

``seed_demo()`` runs the steps named in :data:`DEMO_STEPS`, in order, in one transaction. Every step
creates what is missing and leaves what exists alone, so running it again creates nothing new and
does not undo edits made since:

- rows are found by a natural key: a member by email, a car model by make and name, a car by its
  owner and plate, a page by its slug under the home page (a club by its slug under the club
  index), an image by its title, a membership by club and member, a post by its author and title,
  a comment by post, author and text, a reaction by post, member and kind, a report by post and
  reporter;
- on the dealership settings and the home page, which exist before the demo does, a field is filled
  in only while it is still empty or at its default value; a home page with unpublished changes is
  left alone;
- an existing demo account keeps its profile and password; the one thing made sure of is that its
  address has a verified allauth EmailAddress, so the demo logins work;
- a membership, post, comment or reaction that exists is left as it is (a request an organiser has
  decided since, a post a moderator has hidden): only what is missing is added.

A step is a function taking the :class:`DemoContext`, named in :data:`DEMO_STEPS` by dotted path
(``"demo.steps.events.seed_events"``). It finds the demo's members in ``context.members`` (by email),
car models in ``context.car_models`` and pages in ``context.pages``, and records what it did with
``context.report.created("events")`` / ``context.report.kept("events")``. What the demo contains is
data, under demo/data/ (see :mod:`demo.data`).

Demo accounts use ``@paddock.localhost`` addresses, which never receive mail, and all share the
password :data:`DEMO_PASSWORD`.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from typing import ClassVar

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.module_loading import import_string
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from community.models import CarModel, HomePage, Member

DEMO_PASSWORD = "paddock-demo"

# The steps ``seed_demo`` runs, in order.
DEMO_STEPS: list[str] = [
    "demo.steps.community.seed_dealership",
    "demo.steps.community.seed_car_models",
    "demo.steps.community.seed_members",
    "demo.steps.community.seed_pages",
    "demo.steps.community.seed_clubs",
    "demo.steps.community.seed_posts",
    "demo.steps.events.seed_events",
    "demo.steps.events.seed_series",
    "demo.steps.accessories.seed_accessories",
    "demo.steps.leads.seed_sales_leads",
    "demo.steps.staff.seed_staff_tools",
    "community.renditions.seed_renditions",  # last: every image the steps above placed
]


class DemoError(Exception):
    """The demo cannot be built here; ``code`` is machine-readable, the message is for people."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


# --- running the steps ------------------------------------------------------------------------------


@dataclass
class DemoReport:
    """What a run did, by kind of thing: created, kept as it was, or filled in."""

    ORDER: ClassVar[list[str]] = [
        "car models",
        "staff",
        "members",
        "cars",
        "pages",
        "images",
        "memberships",
        "posts",
        "photos",
        "comments",
        "reactions",
        "reports",
    ]

    created_counts: Counter = field(default_factory=Counter)
    kept_counts: Counter = field(default_factory=Counter)
    filled: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    logins: list[tuple[str, str, bool]] = field(default_factory=list)  # (label, email, new account)
    seconds: float = 0.0

    def created(self, kind: str, count: int = 1) -> None:
        self.created_counts[kind] += count

    def kept(self, kind: str, count: int = 1) -> None:
        self.kept_counts[kind] += count

    @property
    def created_anything(self) -> bool:
        return bool(sum(self.created_counts.values()) or self.filled)

    def lines(self) -> list[str]:
        seen = list(dict.fromkeys([*self.created_counts, *self.kept_counts]))
        kinds = [k for k in self.ORDER if k in seen] + [k for k in seen if k not in self.ORDER]
        out = [
            f"  {kind}: {self.created_counts[kind]} created, {self.kept_counts[kind]} already there"
            for kind in kinds
        ]
        out += [f"  filled in: {what}" for what in self.filled]
        out += [f"  note: {note}" for note in self.notes]
        return out


@dataclass
class DemoContext:
    """Shared by the steps: where the demo goes, what earlier steps made, and the report."""

    site: Site
    home: HomePage
    report: DemoReport = field(default_factory=DemoReport)
    members: dict[str, Member] = field(default_factory=dict)  # by email, staff included
    car_models: dict[str, CarModel] = field(default_factory=dict)  # by model name
    pages: dict[str, Page] = field(default_factory=dict)  # by slug
    new_files: list[tuple[object, str]] = field(default_factory=list)  # (storage, name) to undo
    _password_hash: str = ""

    def password_hash(self) -> str:
        """The demo password, hashed once for every account the run creates (hashing is slow)."""
        if not self._password_hash:
            self._password_hash = make_password(DEMO_PASSWORD)
        return self._password_hash

    def save_file(self, field_file, name: str, data: bytes) -> None:
        """Save generated bytes into a model's file field, remembering the file in case of rollback."""
        field_file.save(name, ContentFile(data), save=False)
        self.new_files.append((field_file.storage, field_file.name))


def demo_site() -> tuple[Site, HomePage]:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise DemoError(
            "There is no default Wagtail site: run `manage.py migrate` first.", code="no_site"
        )
    home = site.root_page.specific
    if not isinstance(home, HomePage):
        raise DemoError(
            f"The default site's root page is a {type(home).__name__}, not Paddock's home page: "
            "run `manage.py migrate`, or point the default site at the home page.",
            code="no_home_page",
        )
    return site, home


def seed_demo(*, steps: list[str | Callable[[DemoContext], None]] | None = None) -> DemoReport:
    """Build the demo dealership, or fill in what is missing from it. Safe to run again.

    ``steps`` defaults to :data:`DEMO_STEPS`: dotted paths or functions taking the context.
    Runs in one transaction; files saved by a run that fails are removed again.
    """
    started = time.monotonic()
    site, home = demo_site()
    context = DemoContext(site=site, home=home)
    try:
        with transaction.atomic():
            for step in steps if steps is not None else DEMO_STEPS:
                (import_string(step) if isinstance(step, str) else step)(context)
    except BaseException:
        for storage, name in context.new_files:
            storage.delete(name)
        raise
    context.report.seconds = time.monotonic() - started
    return context.report


def is_unset(*, instance, name: str) -> bool:
    """Whether a field still holds nothing or its default, i.e. nobody has filled it in."""
    value = getattr(instance, name)
    if value in (None, "") or (
        hasattr(value, "__len__") and not isinstance(value, str) and len(value) == 0
    ):
        return True
    model_field = instance._meta.get_field(name)
    return model_field.has_default() and value == model_field.get_default()


def fill_unset(*, instance, values: dict) -> list[str]:
    """Set the fields of ``values`` that are still unset on ``instance``; return their names."""
    changed = []
    for name, value in values.items():
        if is_unset(instance=instance, name=name):
            setattr(instance, name, value)
            changed.append(name)
    return changed


def wagtail_image(
    *, context: DemoContext, title: str, filename: str, data: bytes, description: str
):
    """The Wagtail image with this title, made from ``data`` if there is none yet."""
    Image = get_image_model()
    image = Image.objects.filter(title=title).order_by("pk").first()
    if image is not None:
        context.report.kept("images")
        return image
    with PILImage.open(BytesIO(data)) as decoded:
        width, height = decoded.size
    image = Image(title=title, description=description[:255])
    context.save_file(image.file, filename, data)
    # Saving the file resets the dimension fields; set them from the picture itself.
    image.width, image.height = width, height
    image.file_size = len(data)
    image.file_hash = hashlib.sha1(data).hexdigest()
    image.save()
    context.report.created("images")
    return image
