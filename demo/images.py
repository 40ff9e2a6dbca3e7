"""Pictures for the demo site, drawn locally with Pillow: car illustrations, avatars, hero, logo.

Nothing is downloaded. Every picture is seeded by a name, so the same name always gives the same
bytes: ``car_photo("MINI Cooper S", "Chili Red", seed="ab12cde")`` draws the same JPEG every run.

Each function returns encoded image bytes, ready for a ``ContentFile``:

- :func:`car_photo`: a side view of the car in its colour, with the contrasting roof MINIs are known
  for, on a road under a sky (JPEG, 1200×800).
- :func:`avatar`: initials on a coloured circle (PNG with transparent corners, 256×256).
- :func:`hero_image`: a harbour at dusk with hills, a coast road and two cars (JPEG, 1920×900).
- :func:`logo`: the dealership's name on a badge in its brand colour (PNG, 720×200).

The car is drawn at twice the size and scaled down, which smooths its edges; the rest is drawn at
full size, so one car photo takes a few tens of milliseconds. Results are memoised per process
(they only depend on the arguments), so seeding twice in one process draws each picture once.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

RGB = tuple[int, int, int]
Point = tuple[float, float]

CAR_PHOTO_SIZE = (1200, 800)
HERO_SIZE = (1920, 900)
AVATAR_SIZE = 256
LOGO_SIZE = (720, 200)
JPEG_QUALITY = 86

# Paint names members type, mapped to the colour drawn. Unknown names get a colour from their hash.
PAINTS: dict[str, RGB] = {
    "chili red": (196, 30, 36),
    "blazing red": (170, 22, 34),
    "pepper white": (236, 236, 232),
    "nanuq white": (242, 242, 238),
    "midnight black": (28, 29, 33),
    "enigmatic black": (22, 24, 30),
    "british racing green": (22, 66, 46),
    "electric blue": (22, 92, 170),
    "starlight blue": (30, 52, 92),
    "island blue": (64, 140, 196),
    "lapisluxury blue": (28, 58, 132),
    "volcanic orange": (222, 98, 28),
    "solaris orange": (232, 116, 36),
    "melting silver": (176, 180, 184),
    "moonwalk grey": (130, 134, 136),
    "thunder grey": (84, 88, 94),
    "rooftop grey": (112, 116, 118),
    "emerald grey": (86, 104, 92),
    "zesty yellow": (234, 214, 76),
    "sunny side yellow": (240, 196, 44),
    "caribbean aqua": (40, 160, 168),
    "ocean wave green": (92, 156, 140),
    "sage green": (126, 150, 120),
    "legend grey": (74, 80, 90),
    "almond green": (176, 170, 142),
    "cream": (236, 226, 196),
}
WHITE: RGB = (246, 246, 244)
BLACK: RGB = (20, 21, 24)


def paint_rgb(name: str) -> RGB:
    """The colour to draw for a paint name ("Chili Red"), or a stable colour derived from it."""
    key = " ".join(name.lower().split())
    if key in PAINTS:
        return PAINTS[key]
    for paint, rgb in PAINTS.items():
        if paint in key or key in paint:
            return rgb
    rng = _rng("paint", key)
    return _hsv(rng.random(), 0.55 + rng.random() * 0.3, 0.45 + rng.random() * 0.35)


def roof_rgb(body: RGB) -> RGB:
    """A MINI-style contrasting roof: white on dark or strong paint, black on pale paint."""
    return BLACK if _luminance(body) > 0.45 else WHITE


# --- small helpers -------------------------------------------------------------------------------


def _rng(*parts: str) -> random.Random:
    # random.Random seeded with a str hashes it with SHA-512, so this is stable across runs.
    return random.Random("|".join(parts))


def _hsv(h: float, s: float, v: float) -> RGB:
    import colorsys

    r, g, b = colorsys.hsv_to_rgb(h % 1.0, s, v)
    return (round(r * 255), round(g * 255), round(b * 255))


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _lighten(c: RGB, t: float) -> RGB:
    return _mix(c, (255, 255, 255), t)


def _darken(c: RGB, t: float) -> RGB:
    return _mix(c, (0, 0, 0), t)


def _luminance(c: RGB) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""

    def channel(v: int) -> float:
        v = v / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in c)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def hex_to_rgb(value: str) -> RGB:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def _gradient(size: tuple[int, int], stops: Sequence[tuple[float, RGB]]) -> Image.Image:
    """A vertical gradient through colour stops given as (position 0..1, colour)."""
    width, height = size
    column = []
    for y in range(height):
        t = y / max(height - 1, 1)
        for (t0, c0), (t1, c1) in zip(stops, stops[1:], strict=False):
            if t <= t1 or (t1, c1) == stops[-1]:
                span = (t1 - t0) or 1
                column.append(_mix(c0, c1, min(max((t - t0) / span, 0), 1)))
                break
    strip = Image.new("RGB", (1, height))
    strip.putdata(column)
    return strip.resize((width, height), Image.Resampling.NEAREST)


def _glow(
    size: tuple[int, int], centre: Point, radius: float, colour: RGB, strength: float
) -> Image.Image:
    """An RGBA layer with a soft round glow, blurred at low resolution to stay fast."""
    factor = 8
    small = (max(size[0] // factor, 1), max(size[1] // factor, 1))
    mask = Image.new("L", small, 0)
    cx, cy, r = centre[0] / factor, centre[1] / factor, radius / factor
    ImageDraw.Draw(mask).ellipse((cx - r, cy - r, cx + r, cy + r), fill=round(255 * strength))
    mask = mask.filter(ImageFilter.GaussianBlur(r * 0.9)).resize(size, Image.Resampling.BILINEAR)
    layer = Image.new("RGBA", size, colour + (0,))
    layer.putalpha(mask)
    return layer


def _beam(size: tuple[int, int], lamp: Point, *, length: float, ground: float) -> Image.Image:
    """An RGBA layer with a headlamp's light: a soft cone from ``lamp`` spreading onto the road."""
    factor = 4
    small = (size[0] // factor, size[1] // factor)
    mask = Image.new("L", small, 0)
    x, y = lamp[0] / factor, lamp[1] / factor
    reach, road = length / factor, ground / factor
    ImageDraw.Draw(mask).polygon(
        [(x, y - 1), (x + reach, y + (road - y) * 0.1), (x + reach, road + 3), (x + 2, road)],
        fill=255,
    )
    # Brightest at the lamp, fading out with distance.
    fade = Image.linear_gradient("L").rotate(-90).resize((max(round(reach), 1), small[1]))
    ramp = Image.new("L", small, 0)
    ramp.paste(fade.point(lambda v: v * 150 // 255), (round(x), 0))
    mask = ImageChops.multiply(mask, ramp).filter(ImageFilter.GaussianBlur(3))
    mask = mask.resize(size, Image.Resampling.BILINEAR)
    layer = Image.new("RGBA", size, (255, 236, 190, 0))
    layer.putalpha(mask)
    return layer


def _ridge(
    rng: random.Random, width: int, base: float, amplitude: float, waves: int = 3
) -> list[Point]:
    """A hill line across the picture: a sum of a few sine waves with random phases."""
    parts = [
        (amplitude / (i + 1) ** 0.8, (i + 1) * (0.6 + rng.random()), rng.random() * math.tau)
        for i in range(waves)
    ]
    points = []
    for x in range(0, width + 24, 24):
        y = base - sum(a * math.sin(x / width * math.tau * f / 2 + p) for a, f, p in parts)
        points.append((x, y))
    return points


def _chaikin(points: Sequence[Point], rounds: int = 2) -> list[Point]:
    """Round the corners of a closed polygon (Chaikin's corner cutting)."""
    pts = list(points)
    for _ in range(rounds):
        out = []
        for i, (x0, y0) in enumerate(pts):
            x1, y1 = pts[(i + 1) % len(pts)]
            out += [
                (x0 * 0.75 + x1 * 0.25, y0 * 0.75 + y1 * 0.25),
                (x0 * 0.25 + x1 * 0.75, y0 * 0.25 + y1 * 0.75),
            ]
        pts = out
    return pts


@lru_cache(maxsize=16)
def _font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    names = (
        ["DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "Arial Bold.ttf"]
        if bold
        else ["DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf"]
    )
    for name in names:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _jpeg(image: Image.Image) -> bytes:
    out = BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _png(image: Image.Image) -> bytes:
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# --- the car --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """A car's side profile in units where the car is ``length`` long and the ground is at 0."""

    length: float = 1000
    sill: float = 60  # bottom of the body
    belt: float = 245  # where the windows start
    roof: float = 372  # top of the roof at the front
    roof_drop: float = 0  # how much lower the roof is at the back (coupé-like rears)
    wheel: float = 82  # wheel radius
    rear_axle: float = 160
    front_axle: float = 815
    screen_base: float = 650  # windscreen foot, on the belt line
    screen_top: float = 530  # windscreen top, on the roof
    tail_top: float = 40  # where the roof meets the rear
    tail_base: float = 14
    pillars: tuple[float, ...] = (310,)  # B (and C) pillars between side windows
    open_top: bool = False  # convertible with the hood down


SHAPES: dict[str, Shape] = {
    "hatch": Shape(),
    "estate": Shape(
        length=1110,
        belt=250,
        roof=382,
        wheel=84,
        rear_axle=170,
        front_axle=890,
        screen_base=755,
        screen_top=630,
        tail_top=22,
        tail_base=10,
        pillars=(200, 470),
    ),
    "crossover": Shape(
        length=1100,
        sill=86,
        belt=292,
        roof=440,
        wheel=100,
        rear_axle=185,
        front_axle=895,
        screen_base=760,
        screen_top=632,
        tail_top=48,
        tail_base=20,
        pillars=(250, 490),
    ),
    "coupe_crossover": Shape(
        length=1090,
        sill=84,
        belt=290,
        roof=430,
        roof_drop=52,
        wheel=98,
        rear_axle=185,
        front_axle=890,
        screen_base=755,
        screen_top=625,
        tail_top=110,
        tail_base=22,
        pillars=(420,),
    ),
    "compact_crossover": Shape(
        length=1040,
        sill=82,
        belt=285,
        roof=428,
        wheel=96,
        rear_axle=175,
        front_axle=850,
        screen_base=710,
        screen_top=590,
        tail_top=46,
        tail_base=18,
        pillars=(240, 450),
    ),
    "convertible": Shape(open_top=True),
    "coupe": Shape(roof=352, roof_drop=40, screen_top=500, tail_top=150, tail_base=16, pillars=()),
    "roadster": Shape(open_top=True, pillars=()),
}

# Which silhouette to draw for a model name; anything else is drawn as the hatch.
MODEL_SHAPES: dict[str, str] = {
    "clubman": "estate",
    "countryman": "crossover",
    "paceman": "coupe_crossover",
    "aceman": "compact_crossover",
    "convertible": "convertible",
    "roadster": "roadster",
    "coupé": "coupe",
    "coupe": "coupe",
}


def shape_for(model_name: str) -> Shape:
    name = model_name.lower()
    for word, shape in MODEL_SHAPES.items():
        if word in name:
            return SHAPES[shape]
    return SHAPES["hatch"]


def _fill(
    canvas: Image.Image,
    polygon: Sequence[Point],
    stops: Sequence[tuple[float, RGB]],
    top: float,
    bottom: float,
) -> Image.Image:
    """Fill a polygon with a vertical gradient running from ``top`` to ``bottom`` (canvas pixels).

    Works on the polygon's bounding box only, and returns the polygon's mask for that box.
    """
    xs, ys = [x for x, _ in polygon], [y for _, y in polygon]
    box = (
        max(math.floor(min(xs)), 0),
        max(math.floor(min(ys)), 0),
        min(math.ceil(max(xs)) + 1, canvas.width),
        min(math.ceil(max(ys)) + 1, canvas.height),
    )
    size = (box[2] - box[0], box[3] - box[1])
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).polygon([(x - box[0], y - box[1]) for x, y in polygon], fill=255)
    span = max(bottom - top, 1)
    shifted = [((top + t * span - box[1]) / max(size[1] - 1, 1), c) for t, c in stops]
    if shifted[0][0] > 0:
        shifted.insert(0, (0.0, shifted[0][1]))
    if shifted[-1][0] < 1:
        shifted.append((1.0, shifted[-1][1]))
    shifted = [(min(max(t, 0.0), 1.0), c) for t, c in shifted]
    canvas.paste(_gradient(size, shifted).convert(canvas.mode), box[:2], mask)
    return mask


def _draw_car(
    canvas: Image.Image,
    *,
    shape: Shape,
    left: float,
    ground: float,
    scale: float,
    body: RGB,
    roof: RGB,
    rim: RGB = (200, 204, 210),
    lights_on: bool = False,
    stripes: bool = False,
) -> None:
    """Draw a car facing right onto an RGBA canvas; ``left``/``ground`` in canvas pixels."""

    def p(u: float, v: float) -> Point:
        return (left + u * scale, ground - v * scale)

    def poly(points: Sequence[tuple[float, float]], rounds: int = 0) -> list[Point]:
        pts = [p(u, v) for u, v in points]
        return _chaikin(pts, rounds) if rounds else pts

    def w(units: float) -> int:
        return max(round(units * scale), 1)

    s = shape
    length, sill, belt, roof_v = s.length, s.sill, s.belt, s.roof
    draw = ImageDraw.Draw(canvas)
    trim_black = (26, 27, 30)

    # Body: a rounded outline filled with a top-lit gradient of the paint.
    outline = poly(
        [
            (length * 0.02, sill),
            (length * 0.004, sill + 40),
            (0, belt - 60),
            (s.tail_base * 0.5, belt - 8),
            (s.tail_base + 6, belt + 2),
            (s.screen_base, belt + 6),
            (s.screen_base + (length - s.screen_base) * 0.4, belt - 4),
            (length - 40, belt - 38),
            (length - 8, belt - 80),
            (length, belt - 125),
            (length - 2, sill + 30),
            (length - 22, sill),
        ],
        rounds=2,
    )
    _fill(
        canvas,
        outline,
        [
            (0, _lighten(body, 0.3)),
            (0.2, _lighten(body, 0.08)),
            (0.55, body),
            (1, _darken(body, 0.38)),
        ],
        p(0, belt + 10)[1],
        p(0, sill)[1],
    )

    # A highlight along the shoulder and a crease low on the doors.
    draw.line(
        poly([(s.tail_base + 20, belt - 14), (s.screen_base, belt - 10), (length - 60, belt - 40)]),
        fill=_lighten(body, 0.45),
        width=w(5),
    )
    draw.line(
        poly([(60, sill + 60), (length - 90, sill + 62)]), fill=_darken(body, 0.2), width=w(3)
    )
    if stripes:
        draw.line(
            poly([(s.screen_base + 20, belt), (length - 50, belt - 34)]), fill=roof, width=w(9)
        )

    # Black cladding: sills between the wheels and the arches around them.
    draw.polygon(
        poly(
            [
                (s.rear_axle, sill - 1),
                (s.front_axle, sill - 1),
                (s.front_axle, sill + 22),
                (s.rear_axle, sill + 22),
            ]
        ),
        fill=trim_black,
    )
    for axle in (s.rear_axle, s.front_axle):
        cx, cy = p(axle, s.wheel)
        for extra, colour in ((20, trim_black), (9, (8, 8, 10))):
            r = (s.wheel + extra) * scale
            draw.pieslice((cx - r, cy - r, cx + r, cy + r), 180, 360, fill=colour)
            draw.rectangle(
                p(axle - s.wheel - extra, s.wheel) + p(axle + s.wheel + extra, sill - 1),
                fill=colour,
            )

    rear_v = roof_v - s.roof_drop
    if s.open_top:
        # Hood down: head restraints, the folded hood, and the windscreen in its frame.
        for u in (s.screen_base - 250, s.screen_base - 360):
            draw.rounded_rectangle(
                p(u - 24, belt + 96) + p(u + 22, belt - 4), radius=14 * scale, fill=(46, 46, 52)
            )
        draw.rounded_rectangle(
            p(18, belt + 44) + p(200, belt - 6), radius=24 * scale, fill=(34, 34, 38)
        )
        draw.line(poly([(38, belt + 28), (186, belt + 28)]), fill=(74, 74, 80), width=w(3))
        draw.polygon(
            poly(
                [
                    (s.screen_base - 2, belt),
                    (s.screen_base - 112, belt + 122),
                    (s.screen_base - 90, belt + 126),
                    (s.screen_base + 20, belt + 2),
                ],
                rounds=1,
            ),
            fill=trim_black,
        )
        draw.line(
            poly([(s.screen_base - 8, belt + 10), (s.screen_base - 96, belt + 110)]),
            fill=(120, 140, 156),
            width=w(8),
        )
    else:
        # Glasshouse: a black frame, glass set in it, pillars over the glass, the roof on top.
        frame = poly(
            [
                (s.tail_base + 6, belt),
                (s.tail_top - 4, rear_v - 40),
                (s.tail_top + 6, rear_v + 4),
                (s.screen_top - 14, roof_v + 4),
                (s.screen_top + 18, roof_v - 24),
                (s.screen_base + 6, belt),
            ],
            rounds=2,
        )
        draw.polygon(frame, fill=trim_black)
        glass = poly(
            [
                (s.tail_base + 30, belt + 12),
                (s.tail_top + 18, rear_v - 40),
                (s.tail_top + 30, rear_v - 14),
                (s.screen_top - 20, roof_v - 14),
                (s.screen_top + 2, roof_v - 34),
                (s.screen_base - 36, belt + 12),
            ],
            rounds=2,
        )
        glass_mask = _fill(
            canvas,
            glass,
            [(0, (104, 124, 140)), (0.45, (50, 64, 78)), (1, (24, 32, 42))],
            p(0, roof_v)[1],
            p(0, belt)[1],
        )
        # A sky reflection across the glass, kept inside it.
        box = (math.floor(min(x for x, _ in glass)), math.floor(min(y for _, y in glass)))
        shine = Image.new("L", glass_mask.size, 0)
        streak = poly(
            [
                (s.screen_base - 240, belt),
                (s.screen_base - 150, belt),
                (s.screen_top - 110, roof_v),
                (s.screen_top - 180, roof_v),
            ]
        )
        ImageDraw.Draw(shine).polygon([(x - box[0], y - box[1]) for x, y in streak], fill=64)
        canvas.paste((235, 240, 245), box, ImageChops.multiply(shine, glass_mask))
        for u in s.pillars:
            draw.polygon(
                poly([(u - 10, belt), (u + 12, belt), (u + 4, roof_v), (u - 20, roof_v)]),
                fill=trim_black,
            )
        # The roof sits on the frame and ends in a small spoiler at the back.
        mid = (s.tail_top + s.screen_top) / 2
        roof_poly = poly(
            [
                (s.tail_top - 14, rear_v - 20),
                (s.tail_top - 20, rear_v + 14),
                (mid, (rear_v + roof_v) / 2 + 22),
                (s.screen_top + 14, roof_v + 12),
                (s.screen_top + 30, roof_v - 2),
                (s.screen_top - 4, roof_v - 6),
                (s.tail_top + 8, rear_v - 6),
            ],
            rounds=2,
        )
        _fill(
            canvas,
            roof_poly,
            [(0, _lighten(roof, 0.25)), (1, _darken(roof, 0.12))],
            p(0, roof_v + 24)[1],
            p(0, rear_v - 20)[1],
        )

    # Door shut lines, handle, side scuttle and the mirror (in the roof colour).
    door_rear = (s.pillars[-1] if s.pillars else s.screen_base - 340) + 8
    door_front = s.screen_base - 8
    seam = _darken(body, 0.35)
    draw.line(poly([(door_rear, belt - 2), (door_rear, sill + 18)]), fill=seam, width=w(2.5))
    draw.line(
        poly([(door_front, belt - 2), (door_front + 10, sill + 70), (door_front - 6, sill + 18)]),
        fill=seam,
        width=w(2.5),
    )
    draw.rounded_rectangle(
        p(door_rear + 28, belt - 14) + p(door_rear + 78, belt - 26),
        radius=4 * scale,
        fill=_darken(body, 0.45),
    )
    scuttle = (s.screen_base + s.front_axle - s.wheel - 20) / 2 - 22  # between door and arch
    draw.rounded_rectangle(
        p(scuttle, sill + 118) + p(scuttle + 44, sill + 96), radius=8 * scale, fill=(190, 194, 200)
    )
    mirror = poly(
        [
            (s.screen_base - 62, belt + 8),
            (s.screen_base - 64, belt + 34),
            (s.screen_base - 28, belt + 38),
            (s.screen_base - 16, belt + 12),
        ],
        rounds=2,
    )
    draw.polygon(mirror, fill=roof, outline=_darken(roof, 0.3), width=w(2))

    # Lights: a round headlamp in a chrome ring at the front, a tall lamp at the back.
    hx, hy = p(length - 44, belt - 62)
    for r, colour in (
        (30, (210, 214, 220)),
        (24, (250, 246, 228) if lights_on else (226, 232, 236)),
    ):
        draw.ellipse(
            (hx - r * 0.7 * scale, hy - r * scale, hx + r * 0.7 * scale, hy + r * scale),
            fill=colour,
        )
    draw.rounded_rectangle(
        p(1, belt - 18) + p(22, belt - 80),
        radius=5 * scale,
        fill=(235, 40, 40) if lights_on else (176, 24, 30),
    )
    draw.rounded_rectangle(
        p(length - 40, sill + 36) + p(length - 2, sill + 10), radius=6 * scale, fill=trim_black
    )

    # Wheels: tyre, alloy with five twin spokes, hub.
    for axle in (s.rear_axle, s.front_axle):
        cx, cy = p(axle, s.wheel)
        r = s.wheel * scale
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(24, 24, 26))
        draw.ellipse(
            (cx - r * 0.92, cy - r * 0.92, cx + r * 0.92, cy + r * 0.92),
            outline=(44, 44, 48),
            width=w(2),
        )
        rr = r * 0.66
        draw.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), fill=_darken(rim, 0.55))
        for k in range(5):
            angle = math.tau * k / 5 + axle
            for da in (-0.16, 0.16):
                draw.line(
                    (
                        cx,
                        cy,
                        cx + math.cos(angle + da) * rr * 0.96,
                        cy + math.sin(angle + da) * rr * 0.96,
                    ),
                    fill=rim,
                    width=max(w(9), 2),
                )
        draw.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), outline=_lighten(rim, 0.3), width=w(4))
        hub = rr * 0.26
        draw.ellipse((cx - hub, cy - hub, cx + hub, cy + hub), fill=_lighten(rim, 0.2))
        draw.ellipse(
            (cx - hub * 0.5, cy - hub * 0.5, cx + hub * 0.5, cy + hub * 0.5), fill=trim_black
        )


def _paste_car(
    scene: Image.Image, *, left: float, ground: float, scale: float, supersample: int = 2, **kwargs
) -> None:
    """Draw a car onto ``scene`` (RGBA): at ``supersample``× on a layer just big enough, scaled down.

    Drawing large and scaling down smooths the edges; keeping the layer to the car's size keeps it
    fast.
    """
    shape: Shape = kwargs["shape"]
    margin = 40
    width = math.ceil((shape.length + 2 * margin) * scale)
    height = math.ceil((shape.roof + 2 * margin) * scale)
    x0, y0 = round(left - margin * scale), round(ground - (shape.roof + margin) * scale)
    big = Image.new("RGBA", (width * supersample, height * supersample), (0, 0, 0, 0))
    _draw_car(
        big,
        left=(left - x0) * supersample,
        ground=(ground - y0) * supersample,
        scale=scale * supersample,
        **kwargs,
    )
    scene.alpha_composite(big.reduce(supersample), dest=(x0, y0))


SKIES: list[list[tuple[float, RGB]]] = [
    [(0, (74, 132, 196)), (0.6, (156, 196, 226)), (1, (226, 236, 240))],  # clear morning
    [(0, (60, 96, 160)), (0.55, (222, 164, 126)), (1, (250, 206, 150))],  # golden hour
    [(0, (120, 138, 156)), (0.7, (186, 196, 204)), (1, (216, 220, 222))],  # soft overcast
    [(0, (38, 46, 96)), (0.5, (150, 96, 140)), (1, (244, 150, 110))],  # dusk
    [(0, (96, 164, 214)), (1, (214, 232, 242))],  # summer noon
]


@lru_cache(maxsize=256)
def car_photo(
    model_name: str, colour: str, *, seed: str, size: tuple[int, int] = CAR_PHOTO_SIZE
) -> bytes:
    """A JPEG illustration of a car of this model and paint, side on, on a road under a sky."""
    rng = _rng("car", model_name, colour, seed)
    width, height = size
    horizon = round(height * 0.58)
    ground = round(height * 0.80)

    sky = SKIES[rng.randrange(len(SKIES))]
    scene = _gradient((width, height), sky).convert("RGBA")
    sun = (width * (0.15 + rng.random() * 0.7), horizon - height * (0.12 + rng.random() * 0.2))
    scene.alpha_composite(_glow(size, sun, height * 0.22, (255, 244, 214), 0.55))
    scene.alpha_composite(_glow(size, sun, height * 0.05, (255, 252, 240), 0.95))

    draw = ImageDraw.Draw(scene)
    horizon_colour = sky[-1][1]
    far = _mix((92, 122, 120), horizon_colour, 0.55)
    near = _mix((66, 104, 70), horizon_colour, 0.2)
    ridge = _ridge(rng, width, horizon - height * 0.06, height * 0.05)
    draw.polygon(ridge + [(width, height), (0, height)], fill=far)
    ridge = _ridge(rng, width, horizon + height * 0.02, height * 0.035, waves=4)
    draw.polygon(ridge + [(width, height), (0, height)], fill=near)

    # Verge, kerb, road with a dashed centre line, nearer kerb.
    verge_top = ground - height * 0.09
    draw.rectangle((0, verge_top, width, ground), fill=_mix((86, 128, 70), horizon_colour, 0.12))
    road = _gradient(
        (width, height - round(ground - height * 0.03)), [(0, (92, 94, 98)), (1, (52, 54, 58))]
    )
    scene.paste(road, (0, round(ground - height * 0.03)))
    draw.rectangle(
        (0, ground - height * 0.035, width, ground - height * 0.025), fill=(206, 206, 200)
    )
    dash_y = ground + height * 0.1
    offset = rng.randrange(160)
    for x in range(-offset, width, 160):
        draw.rectangle((x, dash_y, x + 90, dash_y + height * 0.012), fill=(232, 230, 220))

    shape = shape_for(model_name)
    # One scale for every model, so a Countryman looks bigger than a hatch.
    scale = width * 0.82 / max(s.length for s in SHAPES.values())
    left = (width - shape.length * scale) / 2
    car_ground = ground + height * 0.045

    # A soft shadow under the car.
    shadow = Image.new("L", (width // 4, height // 4), 0)
    ImageDraw.Draw(shadow).ellipse(
        (
            (left - 10) / 4,
            (car_ground - 12) / 4,
            (left + shape.length * scale + 10) / 4,
            (car_ground + 14) / 4,
        ),
        fill=150,
    )
    shadow = shadow.filter(ImageFilter.GaussianBlur(3)).resize(size, Image.Resampling.BILINEAR)
    scene.paste((20, 20, 24), (0, 0), shadow)

    body = paint_rgb(colour)
    name = model_name.lower()
    sporty = "john cooper works" in name or "jcw" in name or "cooper s" in name
    roof = (
        (196, 30, 36) if "john cooper works" in name and _luminance(body) < 0.1 else roof_rgb(body)
    )
    _paste_car(
        scene,
        shape=shape,
        left=left,
        ground=car_ground,
        scale=scale,
        body=body,
        roof=roof,
        rim=(60, 62, 68) if sporty else (200, 204, 210),
        stripes=sporty,
    )
    return _jpeg(scene)


# --- avatars, hero and logo -----------------------------------------------------------------------

# Background colours for avatars; all keep white initials above a 4.5:1 contrast ratio.
AVATAR_COLOURS: list[RGB] = [
    (14, 94, 120),
    (150, 40, 60),
    (34, 96, 58),
    (92, 58, 140),
    (170, 70, 20),
    (30, 70, 150),
    (110, 80, 40),
    (128, 40, 110),
    (20, 104, 100),
    (70, 76, 90),
]


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


@lru_cache(maxsize=256)
def avatar(name: str, *, size: int = AVATAR_SIZE) -> bytes:
    """A PNG of the name's initials in white on a coloured circle, with transparent corners."""
    digest = hashlib.sha256(name.encode()).digest()
    colour = AVATAR_COLOURS[digest[0] % len(AVATAR_COLOURS)]
    big = size * 4
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, big - 1, big - 1), fill=_darken(colour, 0.15))
    draw.ellipse((big * 0.02, big * 0.0, big * 0.98, big * 0.94), fill=colour)
    draw.text(
        (big / 2, big * 0.48),
        initials(name),
        font=_font(round(big * 0.36)),
        fill=(255, 255, 255),
        anchor="mm",
    )
    return _png(image.reduce(4))


@lru_cache(maxsize=256)
def hero_image(*, seed: str = "paddock", size: tuple[int, int] = HERO_SIZE) -> bytes:
    """A wide JPEG: a harbour town at dusk, hills, a coast road and two cars with their lights on."""
    rng = _rng("hero", seed)
    width, height = size
    horizon = round(height * 0.56)
    scene = _gradient(
        size,
        [
            (0, (22, 26, 58)),
            (0.22, (52, 48, 98)),
            (0.42, (150, 86, 128)),
            (0.56, (246, 160, 110)),
            (1, (246, 160, 110)),
        ],
    ).convert("RGBA")
    draw = ImageDraw.Draw(scene)
    for _ in range(90):
        x, y = rng.random() * width, rng.random() * height * 0.3
        b = 150 + rng.randrange(100)
        r = 0.6 + rng.random() * 1.2
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(b, b, min(b + 20, 255)))
    sun_x = width * 0.63
    scene.alpha_composite(_glow(size, (sun_x, horizon), height * 0.32, (255, 196, 140), 0.6))
    draw.ellipse((sun_x - 46, horizon - 46, sun_x + 46, horizon + 46), fill=(255, 226, 170))

    # The sea, with the sun's reflection as short broken strokes.
    sea = _gradient(
        (width, height - horizon), [(0, (196, 120, 120)), (0.3, (92, 70, 110)), (1, (40, 38, 74))]
    )
    scene.paste(sea, (0, horizon))
    for i in range(38):
        y = horizon + 6 + i * 5 + rng.random() * 3
        half = (60 - i) * (1.4 + rng.random())
        x = sun_x + (rng.random() - 0.5) * 40
        draw.line(
            (x - half, y, x + half, y), fill=_mix((255, 214, 160), (110, 80, 120), i / 40), width=2
        )

    # Headlands on each side, a lit harbour town on the left one, nearer hills, the coast road.
    left_head = [
        (-80, horizon - height * 0.17),
        (width * 0.1, horizon - height * 0.15),
        (width * 0.24, horizon - height * 0.08),
        (width * 0.34, horizon - 2),
        (width * 0.4, horizon + 30),
        (-80, horizon + 30),
    ]
    draw.polygon(_chaikin(left_head, 2), fill=(64, 46, 92))
    right_head = [
        (width + 80, horizon - height * 0.13),
        (width * 0.92, horizon - height * 0.11),
        (width * 0.8, horizon - height * 0.03),
        (width * 0.72, horizon + 30),
        (width + 80, horizon + 30),
    ]
    draw.polygon(_chaikin(right_head, 2), fill=(70, 52, 98))
    for _ in range(70):
        x = rng.random() * width * 0.3
        top = horizon - height * 0.15 + (x / (width * 0.3)) * height * 0.13
        y = top + 6 + rng.random() * (horizon - top - 8)
        draw.rectangle((x, y, x + 2.5, y + 2.5), fill=(255, 214 + rng.randrange(30), 140))
    hills = _ridge(rng, width, height * 0.74, height * 0.05, waves=3)
    draw.polygon(hills + [(width, height), (0, height)], fill=(38, 34, 64))
    road_top = round(height * 0.8)
    draw.polygon(
        [(0, road_top), (width, road_top - height * 0.02), (width, height), (0, height)],
        fill=(30, 30, 40),
    )
    draw.polygon(
        [
            (0, road_top + 6),
            (width, road_top - height * 0.02 + 6),
            (width, road_top - height * 0.02 + 9),
            (0, road_top + 9),
        ],
        fill=(120, 104, 130),
    )
    for x in range(0, width, 140):
        y = road_top + height * 0.09 - x / width * height * 0.02
        draw.line((x, y, x + 70, y - 1.5), fill=(170, 160, 170), width=3)
    scene.alpha_composite(_glow(size, (width / 2, height), width * 0.5, (20, 16, 34), 0.5))

    # Two cars heading right, lights on, with a glow ahead of their headlamps.
    for left, paint, model in (
        (width * 0.18, (52, 56, 76), "crossover"),
        (width * 0.52, (120, 28, 40), "hatch"),
    ):
        shape = SHAPES[model]
        scale = 0.23 if model == "hatch" else 0.21
        ground = road_top + height * 0.075 - left / width * height * 0.02
        lamp = (left + (shape.length - 40) * scale, ground - (shape.belt - 62) * scale)
        scene.alpha_composite(_beam(size, lamp, length=width * 0.14, ground=ground))
        _paste_car(
            scene,
            shape=shape,
            left=left,
            ground=ground,
            scale=scale,
            body=paint,
            roof=(226, 226, 230),
            lights_on=True,
        )
    return _jpeg(scene)


@lru_cache(maxsize=256)
def logo(
    name: str, *, brand: str, accent: str, place: str = "", size: tuple[int, int] = LOGO_SIZE
) -> bytes:
    """A PNG logo: a badge with a wave and the initial, the name, and ``place`` underneath."""
    brand_rgb, accent_rgb = hex_to_rgb(brand), hex_to_rgb(accent)
    factor = 2
    width, height = size[0] * factor, size[1] * factor
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, width - 1, height - 1), radius=height * 0.22, fill=brand_rgb)

    # Badge: white ring, the initial, a wave in the accent colour.
    pad = height * 0.14
    badge = (pad, pad, height - pad, height - pad)
    draw.ellipse(badge, fill=(255, 255, 255))
    inner = height * 0.045
    draw.ellipse(
        (badge[0] + inner, badge[1] + inner, badge[2] - inner, badge[3] - inner), fill=brand_rgb
    )
    cx, cy, r = height / 2, height / 2, (height - 2 * pad) / 2 - inner
    draw.text(
        (cx, cy - r * 0.14),
        name[:1].upper(),
        font=_font(round(r * 1.0)),
        fill=(255, 255, 255),
        anchor="mm",
    )
    wave = [
        (cx - r * 0.72 + i * r * 0.12, cy + r * 0.48 + math.sin(i * 1.1) * r * 0.08)
        for i in range(13)
    ]
    draw.line(wave, fill=accent_rgb, width=round(r * 0.11), joint="curve")

    text_x = height - pad * 0.2
    words = name.split()
    main, rest = (" ".join(words[:-1]), words[-1]) if len(words) > 1 else (name, "")
    room = width - text_x - pad
    font_size = round(height * 0.3)
    while font_size > 12 and _font(font_size).getlength(name.upper()) > room:
        font_size -= 2
    title_font = _font(font_size)
    draw.text(
        (text_x, height * 0.44), main.upper(), font=title_font, fill=(255, 255, 255), anchor="ls"
    )
    main_width = draw.textlength(main.upper() + " ", font=title_font)
    draw.text(
        (text_x + main_width, height * 0.44),
        rest.upper(),
        font=title_font,
        fill=accent_rgb,
        anchor="ls",
    )
    if place:
        draw.line(
            (text_x, height * 0.56, width - pad * 1.5, height * 0.56),
            fill=accent_rgb,
            width=round(height * 0.015),
        )
        draw.text(
            (text_x, height * 0.8),
            place.upper(),
            font=_font(round(height * 0.14), bold=False),
            fill=(255, 255, 255),
            anchor="ls",
        )
    return _png(image.resize(size, Image.Resampling.LANCZOS))


# --- club covers and album photos -------------------------------------------------------------------

CLUB_COVER_SIZE = (1600, 600)
ALBUM_PHOTO_SIZE = (1200, 800)
COVER_MOTIFS = ("road", "hills", "classic", "coast", "track")
ALBUM_SCENES = ("car", "meet", "moor", "harbour")


def _clouds(scene: Image.Image, rng: random.Random, count: int, top: float, bottom: float) -> None:
    """Soft white clouds between ``top`` and ``bottom`` (pixels): clusters of puffs, blurred at low
    resolution and laid over the scene in one go."""
    factor = 8
    width = scene.width
    small = (max(scene.width // factor, 1), max(scene.height // factor, 1))
    mask = Image.new("L", small, 0)
    draw = ImageDraw.Draw(mask)
    for _ in range(count):
        x, y = rng.random() * width, top + rng.random() * (bottom - top)
        for _ in range(3):
            cx = (x + (rng.random() - 0.5) * width * 0.08) / factor
            cy = (y + (rng.random() - 0.5) * 18) / factor
            r = width * (0.03 + rng.random() * 0.03) / factor
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=150)
    mask = mask.filter(ImageFilter.GaussianBlur(width * 0.025 / factor))
    layer = Image.new("RGBA", scene.size, WHITE + (0,))
    layer.putalpha(mask.resize(scene.size, Image.Resampling.BILINEAR))
    scene.alpha_composite(layer)


def _road_band(draw: ImageDraw.ImageDraw, width: int, top: float, bottom: float, offset: int):
    """A straight road across the picture: tarmac, a verge line and a dashed centre line."""
    draw.rectangle((0, top, width, bottom), fill=(66, 68, 72))
    draw.rectangle((0, top, width, top + 4), fill=(206, 206, 200))
    middle = (top + bottom) / 2
    for x in range(-offset, width, 120):
        draw.rectangle((x, middle - 2, x + 64, middle + 2), fill=(232, 230, 220))


def _cover_backdrop(
    rng: random.Random, size: tuple[int, int], motif: str, colour: RGB, accent: RGB
) -> tuple[Image.Image, float]:
    """The picture behind a club's badge; returns it (RGBA) and where its road's cars stand."""
    width, height = size
    ground = height * 0.9
    if motif == "classic":
        # A sunburst in the club's colour and cream, as on an old rally plate, over a horizon.
        scene = Image.new("RGBA", size, _lighten(colour, 0.75) + (255,))
        draw = ImageDraw.Draw(scene)
        centre = (width * 0.62, height * 0.98)
        rays = 28
        for i in range(rays):
            a0, a1 = math.pi + i * math.pi / rays, math.pi + (i + 0.5) * math.pi / rays
            reach = width * 1.2
            draw.polygon(
                [
                    centre,
                    (centre[0] + math.cos(a0) * reach, centre[1] + math.sin(a0) * reach),
                    (centre[0] + math.cos(a1) * reach, centre[1] + math.sin(a1) * reach),
                ],
                fill=_lighten(colour, 0.35),
            )
        draw.rectangle((0, height * 0.8, width, height), fill=_darken(colour, 0.35))
        _road_band(draw, width, height * 0.82, height, rng.randrange(120))
        return scene, ground
    if motif == "track":
        scene = _gradient(size, [(0, (48, 50, 56)), (1, (24, 25, 28))]).convert("RGBA")
        draw = ImageDraw.Draw(scene)
        # A chequered strip along the top and red-and-white kerbs down a bend.
        square = height // 12
        for row in range(2):
            for col in range(width // square + 1):
                if (row + col) % 2 == 0:
                    draw.rectangle(
                        (col * square, row * square, (col + 1) * square, (row + 1) * square),
                        fill=(236, 236, 236),
                    )
        # The track's edge: a red-and-white kerb above the tarmac.
        draw.rectangle((0, height * 0.72, width, height), fill=(58, 60, 66))
        kerb_top, kerb_bottom, step = height * 0.69, height * 0.74, width / 28
        for i in range(29):
            x = i * step
            draw.polygon(
                [(x, kerb_bottom), (x + step, kerb_bottom), (x + step * 1.25, kerb_top)]
                + [(x + step * 0.25, kerb_top)],
                fill=accent if i % 2 else (240, 240, 240),
            )
        for x in range(0, width, 160):
            draw.rectangle((x, height * 0.8, x + 80, height * 0.81), fill=(220, 220, 210))
        return scene, ground
    sky = SKIES[1] if motif == "coast" else SKIES[rng.choice([0, 1, 4])]
    scene = _gradient(size, sky).convert("RGBA")
    horizon = height * 0.62
    _clouds(scene, rng, 4, height * 0.08, height * 0.35)
    draw = ImageDraw.Draw(scene)
    if motif == "coast":
        draw.rectangle((0, horizon, width, height), fill=(52, 104, 146))
        for i in range(24):
            y = horizon + 6 + i * 7
            x = rng.random() * width
            draw.line((x, y, x + 60 + rng.random() * 80, y), fill=(120, 170, 200), width=2)
        head = [(width * 0.7, horizon + 4), (width * 0.82, horizon - height * 0.16)]
        head += [(width * 1.05, horizon - height * 0.2), (width * 1.05, horizon + 4)]
        draw.polygon(_chaikin(head, 2), fill=_mix((70, 96, 70), colour, 0.25))
        draw.rectangle((0, height * 0.8, width, height), fill=(214, 196, 150))
        _road_band(draw, width, height * 0.82, height, rng.randrange(120))
        return scene, ground
    # "road" and "hills": rolling country in the club's colour, a road along the bottom.
    far = _mix((104, 132, 118), colour, 0.35)
    near = _mix((70, 112, 66), colour, 0.25 if motif == "road" else 0.1)
    ridge = _ridge(rng, width, horizon, height * 0.06)
    draw.polygon(ridge + [(width, height), (0, height)], fill=far)
    ridge = _ridge(rng, width, horizon + height * 0.1, height * 0.05, waves=4)
    draw.polygon(ridge + [(width, height), (0, height)], fill=near)
    if motif == "hills":
        # A gravel track winding up the hill.
        track = [(width * 0.05, height), (width * 0.3, height * 0.8), (width * 0.22, height * 0.7)]
        track += [(width * 0.45, height * 0.62), (width * 0.47, height * 0.63)]
        track += [
            (width * 0.27, height * 0.71),
            (width * 0.36, height * 0.8),
            (width * 0.15, height),
        ]
        draw.polygon(_chaikin(track, 2), fill=(190, 172, 136))
    _road_band(draw, width, height * 0.82, height, rng.randrange(120))
    return scene, ground


def _balanced_lines(text: str) -> list[str]:
    """One line, or two of similar length for a long name."""
    words = text.split()
    if len(words) < 2 or len(text) <= 12:
        return [text]
    # The most even split; on a tie, the longer first line ("COOPER S / OWNERS").
    best = min(
        range(1, len(words)),
        key=lambda i: (abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))), -i),
    )
    return [" ".join(words[:best]), " ".join(words[best:])]


@lru_cache(maxsize=32)
def club_cover(
    name: str,
    *,
    colour: str,
    accent: str = "#f4b83a",
    motif: str = "road",
    models: tuple[str, ...] = ("MINI Cooper",),
    size: tuple[int, int] = CLUB_COVER_SIZE,
) -> bytes:
    """A wide JPEG for a club: a scene (``motif``, one of COVER_MOTIFS) with cars of the club's
    ``models`` on a road, and a round club badge with the name, right of centre.

    The badge stays inside the centre of the picture, so a 3:2 crop (a club card) keeps it whole,
    and clear of the left, where the club page writes its title over the picture.
    """
    if motif not in COVER_MOTIFS:
        raise ValueError(f"Unknown cover motif {motif!r}; choose one of {COVER_MOTIFS}.")
    rng = _rng("cover", name, motif)
    colour_rgb, accent_rgb = hex_to_rgb(colour), hex_to_rgb(accent)
    width, height = size
    scene, ground = _cover_backdrop(rng, size, motif, colour_rgb, accent_rgb)

    # Cars on the road, either side of the badge.
    scale = width * 0.00015
    paints = list(PAINTS.values())
    for i, left in enumerate((width * 0.04, width * 0.25, width * 0.84)):
        shape = shape_for(models[i % len(models)])
        if left + shape.length * scale > width * 1.05:
            left = width * 1.02 - shape.length * scale
        body = paints[rng.randrange(len(paints))]
        _paste_car(
            scene,
            shape=shape,
            left=left,
            ground=ground,
            scale=scale,
            body=body,
            roof=roof_rgb(body),
            lights_on=motif == "track",
        )

    # The badge: a white ring and an accent ring round the club's colour, a car and the name.
    factor = 2
    radius = height * 0.36
    box = round(radius * 2 + 8)
    badge = Image.new("RGBA", (box * factor, box * factor), (0, 0, 0, 0))
    draw = ImageDraw.Draw(badge)
    r = radius * factor
    c = box * factor / 2
    draw.ellipse((c - r, c - r, c + r, c + r), fill=(255, 255, 255))
    ring = r * 0.93
    draw.ellipse((c - ring, c - ring, c + ring, c + ring), fill=accent_rgb)
    inner = r * 0.86
    draw.ellipse((c - inner, c - inner, c + inner, c + inner), fill=_darken(colour_rgb, 0.2))
    emblem = shape_for(models[0])
    car_scale = inner * 1.05 / emblem.length
    _paste_car(
        badge,
        shape=emblem,
        left=c - emblem.length * car_scale / 2,
        ground=c - inner * 0.02,
        scale=car_scale,
        body=(255, 255, 255),
        roof=accent_rgb,
        supersample=1,
    )
    lines = _balanced_lines(name.upper())
    room = inner * 1.3  # the circle narrows below its middle
    font_size = round(inner * 0.22)
    while font_size > 10 and max(_font(font_size).getlength(line) for line in lines) > room:
        font_size -= 2
    font = _font(font_size)
    y = c + inner * 0.2
    for line in lines:
        draw.text((c, y), line, font=font, fill=(255, 255, 255), anchor="mt")
        y += font_size * 1.12
    draw.line(
        (c - inner * 0.45, c + inner * 0.12, c + inner * 0.45, c + inner * 0.12),
        fill=accent_rgb,
        width=max(round(inner * 0.025), 1),
    )
    badge = badge.reduce(factor)
    shadow = _glow(size, (width * 0.625, height * 0.5), radius * 1.05, (0, 0, 0), 0.45)
    scene.alpha_composite(shadow)
    scene.alpha_composite(
        badge, dest=(round(width * 0.62 - box / 2), round(height * 0.47 - box / 2))
    )
    return _jpeg(scene)


def _meet_photo(rng: random.Random, size: tuple[int, int]) -> bytes:
    """Cars & Coffee on the quay: sea, harbour wall, bunting and two rows of parked cars."""
    width, height = size
    scene = _gradient(size, SKIES[rng.choice([0, 4])]).convert("RGBA")
    _clouds(scene, rng, 3, height * 0.05, height * 0.25)
    draw = ImageDraw.Draw(scene)
    horizon = height * 0.42
    draw.rectangle((0, horizon, width, height * 0.52), fill=(54, 110, 150))
    for i in range(14):
        y = horizon + 4 + i * 5
        x = rng.random() * width
        draw.line((x, y, x + 40 + rng.random() * 60, y), fill=(130, 176, 204), width=2)
    draw.rectangle((0, height * 0.52, width, height * 0.58), fill=(150, 140, 124))  # harbour wall
    for x in range(0, width, 46):
        draw.line((x, height * 0.52, x, height * 0.58), fill=(128, 118, 104), width=2)
    draw.rectangle((0, height * 0.58, width, height), fill=(120, 122, 126))  # the quay
    # Bunting on a sagging line between two lamp posts.
    draw.line((width * 0.02, height * 0.2, width * 0.02, height * 0.58), fill=(40, 44, 50), width=6)
    draw.line((width * 0.98, height * 0.2, width * 0.98, height * 0.58), fill=(40, 44, 50), width=6)
    flags = [(196, 30, 36), (246, 246, 244), (22, 92, 170), (244, 184, 58)]
    points = [
        (width * (0.02 + 0.96 * t / 24), height * (0.2 + 0.08 * math.sin(math.pi * t / 24)))
        for t in range(25)
    ]
    draw.line(points, fill=(60, 60, 60), width=2)
    for i, (x, y) in enumerate(points[:-1]):
        draw.polygon(
            [(x + 4, y), (x + width * 0.034, y), (x + width * 0.019, y + 30)], fill=flags[i % 4]
        )
    paints = list(PAINTS.values())
    models = list(MODEL_SHAPES) + ["hatch", "hatch"]
    for row_ground, scale, count in ((height * 0.7, 0.2, 5), (height * 0.93, 0.3, 3)):
        step = width / count
        for i in range(count):
            shape = SHAPES.get(MODEL_SHAPES.get(rng.choice(models), "hatch"), SHAPES["hatch"])
            body = paints[rng.randrange(len(paints))]
            left = i * step + (step - shape.length * scale) / 2 + (rng.random() - 0.5) * step * 0.1
            _paste_car(
                scene,
                shape=shape,
                left=left,
                ground=row_ground,
                scale=scale,
                body=body,
                roof=roof_rgb(body),
                stripes=rng.random() < 0.3,
            )
    return _jpeg(scene)


def _moor_photo(rng: random.Random, size: tuple[int, int], colour: str, model: str) -> bytes:
    """A Dartmoor view: moorland ridges, a granite tor, a lane winding off, one car on it."""
    width, height = size
    scene = _gradient(size, SKIES[rng.choice([0, 2, 4])]).convert("RGBA")
    _clouds(scene, rng, 5, height * 0.05, height * 0.3)
    draw = ImageDraw.Draw(scene)
    horizon = height * 0.5
    far = _ridge(rng, width, horizon, height * 0.06)
    draw.polygon(far + [(width, height), (0, height)], fill=(128, 136, 112))
    # The tor: stacked granite blocks on the far ridge.
    tor_x = width * (0.2 + rng.random() * 0.5)
    tor_y = min(y for x, y in far if abs(x - tor_x) < 30) + 4
    for i, (w, h) in enumerate([(150, 34), (120, 30), (90, 26), (56, 22)]):
        x0 = tor_x - w / 2 + (rng.random() - 0.5) * 14
        draw.rounded_rectangle(
            (x0, tor_y - h, x0 + w, tor_y),
            radius=10,
            fill=_mix((120, 118, 112), (90, 90, 88), i / 4),
        )
        tor_y -= h - 2
    near = _ridge(rng, width, horizon + height * 0.12, height * 0.05, waves=4)
    draw.polygon(near + [(width, height), (0, height)], fill=(112, 116, 70))
    for _ in range(160):  # bracken and heather
        x, y = rng.random() * width, horizon + height * 0.15 + rng.random() * height * 0.5
        tone = rng.choice([(142, 92, 60), (126, 84, 110), (96, 110, 60)])
        draw.ellipse((x, y, x + 10 + rng.random() * 16, y + 4 + rng.random() * 6), fill=tone)
    # The lane: wide at the bottom, curving away to the horizon.
    lane = [
        (width * 0.3, height),
        (width * 0.62, horizon + height * 0.2),
        (width * 0.5, horizon + height * 0.14),
    ]
    lane += [
        (width * 0.53, horizon + height * 0.135),
        (width * 0.68, horizon + height * 0.2),
        (width * 0.62, height),
    ]
    draw.polygon(_chaikin(lane, 3), fill=(82, 84, 88))
    body = paint_rgb(colour)
    shape = shape_for(model)
    scale = width * 0.00025
    ground = height * 0.97
    _paste_car(
        scene,
        shape=shape,
        left=width * 0.46 - shape.length * scale / 2,
        ground=ground,
        scale=scale,
        body=body,
        roof=roof_rgb(body),
    )
    return _jpeg(scene)


@lru_cache(maxsize=64)
def album_photo(
    scene: str,
    *,
    seed: str,
    colour: str = "Chili Red",
    model: str = "MINI Cooper",
    size: tuple[int, int] = ALBUM_PHOTO_SIZE,
) -> bytes:
    """A JPEG for a member's photo album, of a ``scene`` (one of ALBUM_SCENES):

    - ``car``: the member's car, side on (:func:`car_photo`);
    - ``meet``: Cars & Coffee on the quay, rows of parked cars under bunting;
    - ``moor``: a Dartmoor lane below a granite tor, the car on it;
    - ``harbour``: the harbour at dusk (:func:`hero_image` at this size).
    """
    if scene == "car":
        return car_photo(model, colour, seed=seed, size=size)
    if scene == "harbour":
        return hero_image(seed=seed, size=size)
    rng = _rng("album", scene, seed)
    if scene == "meet":
        return _meet_photo(rng, size)
    if scene == "moor":
        return _moor_photo(rng, size, colour, model)
    raise ValueError(f"Unknown album scene {scene!r}; choose one of {ALBUM_SCENES}.")
