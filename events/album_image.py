"""The share image of an event's album (Open Graph, 1200x630): a collage of up to six of its
photos with the event's name, built with Pillow and kept in the cache until the photos change."""

import hashlib
from io import BytesIO

from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont, ImageOps

from community.showrooms import dealership_name, site_of

WIDTH, HEIGHT = 1200, 630
BAND = 96  # the dark band along the bottom that carries the event's name
CACHE_SECONDS = 24 * 3600


def _cells(count: int) -> list[tuple[int, int, int, int]]:
    """(left, top, width, height) of each photo's place in the collage, for 1-6 photos."""
    if count <= 1:
        return [(0, 0, WIDTH, HEIGHT)]
    if count == 2:
        return [(0, 0, WIDTH // 2, HEIGHT), (WIDTH // 2, 0, WIDTH // 2, HEIGHT)]
    if count == 3:
        half = HEIGHT // 2
        return [(0, 0, 700, HEIGHT), (700, 0, 500, half), (700, half, 500, HEIGHT - half)]
    if count == 4:
        w, h = WIDTH // 2, HEIGHT // 2
        return [(x * w, y * h, w, h) for y in range(2) for x in range(2)]
    top, bottom = HEIGHT // 2, HEIGHT - HEIGHT // 2
    first_row = [(x * 400, 0, 400, top) for x in range(3)]
    if count == 5:
        return first_row + [(0, top, WIDTH // 2, bottom), (WIDTH // 2, top, WIDTH // 2, bottom)]
    return first_row + [(x * 400, top, 400, bottom) for x in range(3)]


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except (OSError, TypeError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def build_share_image(*, photos: list, title: str, byline: str) -> bytes:
    """The collage as JPEG bytes: ``photos`` (PostPhoto rows, 1-6) cropped to fill their places,
    2 px gaps between them, and ``title`` and ``byline`` on a dark band at the bottom."""
    canvas = Image.new("RGB", (WIDTH, HEIGHT), (20, 22, 26))
    for photo, (left, top, width, height) in zip(photos, _cells(len(photos)), strict=False):
        with photo.image.open("rb") as stored, Image.open(stored) as image:
            tile = ImageOps.fit(image.convert("RGB"), (width - 2, height - 2))
        canvas.paste(tile, (left + 1, top + 1))
    band = Image.new("RGBA", (WIDTH, BAND), (12, 14, 18, 200))
    canvas.paste(band, (0, HEIGHT - BAND), band)
    draw = ImageDraw.Draw(canvas)
    draw.text((36, HEIGHT - BAND + 14), title[:60], font=_font(40), fill=(255, 255, 255))
    draw.text((36, HEIGHT - BAND + 60), byline[:90], font=_font(22), fill=(210, 214, 220))
    out = BytesIO()
    canvas.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def album_share_image(*, event, photos: list) -> bytes:
    """The event album's share image, from the cache while the same photos (and title) are in it."""
    title_key = hashlib.sha256(event.title.encode()).hexdigest()[:12]
    key = f"album-share:{event.pk}:{'-'.join(str(p.pk) for p in photos)}:{title_key}"
    data = cache.get(key)
    if data is None:
        byline = f"Photos from the album · {dealership_name(site_of(event))}"
        data = build_share_image(photos=photos, title=event.title, byline=byline)
        cache.set(key, data, CACHE_SECONDS)
    return data
