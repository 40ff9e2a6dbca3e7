"""Image renditions made ahead, so nobody's first view of a page waits for Pillow.

``RENDITIONS`` lists, for each place a template shows an image, the filter specs it asks for
(keep it in step with the ``{% image %}`` tags in templates/). ``renditions_create`` makes the
missing ones for every image used in those places; ``seed_demo`` runs it last
(``community.renditions.seed_renditions``) and ``manage.py renditions_ahead`` runs it on a live
install, e.g. after an import.
"""

from wagtail.models import Page

# (model label, image field) -> filter specs its templates use
RENDITIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("community.HomePage", "hero_image"): ("fill-1920x900",),
    ("community.ClubPage", "cover_image"): ("fill-600x400", "fill-1600x600"),
    ("events.EventPage", "cover_image"): ("fill-600x400", "fill-1600x600"),
    ("community.DealershipSettings", "logo"): ("max-480x96",),
    # cards (listing, home, event, showcase), the accessory page's photo and its thumbnails
    ("accessories.AccessoryGalleryImage", "image"): (
        "fill-600x450",
        "fill-960x720",
        "fill-160x120",
    ),
    ("accessories.ShowcasePage", "cover_image"): ("fill-600x400", "fill-1600x600"),
}
SOCIAL_IMAGE_SPECS = ("fill-1200x630",)  # BasePage.social_image, in base.html's <head>
BODY_IMAGE_SPECS = ("width-1200",)  # ImageBlock in any page's body or description
BODY_FIELDS = ("body", "description")


def _body_image_ids(page) -> set[int]:
    ids: set[int] = set()
    for name in BODY_FIELDS:
        stream = getattr(page, name, None)
        if stream is None or not hasattr(stream, "raw_data"):
            continue
        for block in stream.raw_data:
            value = block.get("value") if isinstance(block, dict) else None
            if block.get("type") == "image" and isinstance(value, dict) and value.get("image"):
                ids.add(int(value["image"]))
    return ids


def images_and_specs() -> dict[int, set[str]]:
    """Image id -> the filter specs its pages and settings show it with."""
    from django.apps import apps

    wanted: dict[int, set[str]] = {}

    def want(image_id, specs):
        if image_id:
            wanted.setdefault(image_id, set()).update(specs)

    for (label, field), specs in RENDITIONS.items():
        model = apps.get_model(label)
        for image_id in model.objects.values_list(f"{field}_id", flat=True):
            want(image_id, specs)
    for page in Page.objects.live().specific():
        want(getattr(page, "social_image_id", None), SOCIAL_IMAGE_SPECS)
        for image_id in _body_image_ids(page):
            want(image_id, BODY_IMAGE_SPECS)
    return wanted


def renditions_create() -> int:
    """Make every rendition the templates will ask for; returns how many images were covered."""
    from wagtail.images import get_image_model

    wanted = images_and_specs()
    for image in get_image_model().objects.filter(pk__in=wanted):
        image.get_renditions(*sorted(wanted[image.pk]))
    return len(wanted)


def seed_renditions(context) -> None:
    """The demo step: renditions of every demo image, made once here rather than on first view.
    Files of renditions made here are removed again if the demo run fails later on."""
    from wagtail.images import get_image_model

    renditions = get_image_model().get_rendition_model().objects
    before = set(renditions.values_list("pk", flat=True))
    covered = renditions_create()
    for rendition in renditions.exclude(pk__in=before):
        context.new_files.append((rendition.file.storage, rendition.file.name))
    context.report.notes.append(f"renditions ready for {covered} images")
