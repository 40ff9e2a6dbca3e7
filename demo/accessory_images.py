"""Product pictures for the demo accessories, drawn locally with Pillow (nothing is downloaded).

``accessory_photo("roofbox", colour="#1d1f24", seed="Roof box")`` draws a studio shot: the item on
a soft backdrop with a floor shadow, drawn at twice the size and scaled down for smooth edges.
The same arguments always give the same JPEG bytes.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter

from demo.images import _darken, _gradient, _jpeg, _lighten, _rng, hex_to_rgb

SIZE = (1200, 900)
SCALE = 2

Draw = Callable[[ImageDraw.ImageDraw, int, int, tuple, object], None]


def _spoiler(draw, w, h, colour, rng):
    top = [(w * 0.18, h * 0.46), (w * 0.82, h * 0.40), (w * 0.86, h * 0.47), (w * 0.2, h * 0.55)]
    draw.polygon(top, fill=colour)
    draw.polygon(
        [(w * 0.2, h * 0.55), (w * 0.86, h * 0.47), (w * 0.84, h * 0.52), (w * 0.22, h * 0.6)],
        fill=_darken(colour, 0.35),
    )
    for x in (0.32, 0.7):
        draw.rectangle([w * x, h * 0.56, w * (x + 0.04), h * 0.68], fill=_darken(colour, 0.5))
    draw.line([(w * 0.22, h * 0.47), (w * 0.8, h * 0.415)], fill=_lighten(colour, 0.4), width=6)


def _mats(draw, w, h, colour, rng):
    for i, (x, y) in enumerate([(0.16, 0.3), (0.5, 0.3), (0.2, 0.58), (0.52, 0.58)]):
        x0, y0 = w * x, h * y
        mw, mh = w * (0.3 if i < 2 else 0.26), h * 0.24
        draw.rounded_rectangle([x0, y0, x0 + mw, y0 + mh], radius=28, fill=colour)
        for r in range(1, 6):
            yy = y0 + mh * r / 6
            draw.line([(x0 + 20, yy), (x0 + mw - 20, yy)], fill=_lighten(colour, 0.18), width=6)
        draw.rounded_rectangle([x0 + 14, y0 + 14, x0 + 70, y0 + 40], radius=6, fill="#c8102e")


def _chains(draw, w, h, colour, rng):
    cx, cy = w * 0.5, h * 0.52
    draw.ellipse(
        [cx - w * 0.24, cy - h * 0.3, cx + w * 0.24, cy + h * 0.3], outline=colour, width=26
    )
    for i in range(24):
        a = i * math.tau / 24
        x, y = cx + math.cos(a) * w * 0.24, cy + math.sin(a) * h * 0.3
        draw.ellipse([x - 22, y - 14, x + 22, y + 14], outline=_lighten(colour, 0.3), width=7)
    for i in range(6):
        a = i * math.tau / 6
        draw.line(
            [(cx, cy), (cx + math.cos(a) * w * 0.22, cy + math.sin(a) * h * 0.28)],
            fill=colour,
            width=10,
        )
    draw.ellipse([cx - 40, cy - 40, cx + 40, cy + 40], fill=_darken(colour, 0.3))


def _roofbox(draw, w, h, colour, rng):
    body = [
        (w * 0.14, h * 0.6),
        (w * 0.2, h * 0.42),
        (w * 0.5, h * 0.36),
        (w * 0.82, h * 0.42),
        (w * 0.88, h * 0.6),
    ]
    draw.polygon(body, fill=colour)
    draw.line(body[:-1], fill=_lighten(colour, 0.35), width=8)
    draw.rectangle([w * 0.14, h * 0.6, w * 0.88, h * 0.64], fill=_darken(colour, 0.4))
    for x in (0.26, 0.72):
        draw.rectangle([w * x, h * 0.64, w * (x + 0.03), h * 0.7], fill="#3a3d42")
    draw.rounded_rectangle([w * 0.46, h * 0.5, w * 0.56, h * 0.54], radius=8, fill="#c9ccd1")


def _mirror(draw, w, h, colour, rng):
    for ox in (0.08, 0.52):
        x0, y0 = w * ox, h * 0.28
        mw, mh = w * 0.38, h * 0.42
        draw.ellipse([x0, y0, x0 + mw, y0 + mh], fill="#0c2d6b")
        # the Union flag, roughly: white and red saltires and cross
        cx, cy = x0 + mw / 2, y0 + mh / 2
        for dx, dy in ((1, 1), (1, -1)):
            draw.line(
                [
                    (cx - dx * mw * 0.3, cy - dy * mh * 0.3),
                    (cx + dx * mw * 0.3, cy + dy * mh * 0.3),
                ],
                fill="#ffffff",
                width=34,
            )
            draw.line(
                [
                    (cx - dx * mw * 0.3, cy - dy * mh * 0.3),
                    (cx + dx * mw * 0.3, cy + dy * mh * 0.3),
                ],
                fill="#c8102e",
                width=12,
            )
        draw.rectangle([cx - 30, y0 + 10, cx + 30, y0 + mh - 10], fill="#ffffff")
        draw.rectangle([x0 + 10, cy - 26, x0 + mw - 10, cy + 26], fill="#ffffff")
        draw.rectangle([cx - 16, y0 + 14, cx + 16, y0 + mh - 14], fill="#c8102e")
        draw.rectangle([x0 + 14, cy - 14, x0 + mw - 14, cy + 14], fill="#c8102e")
        draw.ellipse([x0, y0, x0 + mw, y0 + mh], outline=_darken(colour, 0.2), width=14)


def _rack(draw, w, h, colour, rng):
    draw.line([(w * 0.2, h * 0.7), (w * 0.5, h * 0.3), (w * 0.8, h * 0.7)], fill=colour, width=22)
    draw.line([(w * 0.28, h * 0.58), (w * 0.72, h * 0.58)], fill=colour, width=18)
    for x in (0.3, 0.7):
        cx, cy = w * x, h * 0.46
        draw.ellipse([cx - 210, cy - 210, cx + 210, cy + 210], outline="#2a2c30", width=16)
        draw.ellipse([cx - 14, cy - 14, cx + 14, cy + 14], fill="#2a2c30")
    draw.line(
        [(w * 0.3, h * 0.46), (w * 0.48, h * 0.3), (w * 0.7, h * 0.46)], fill="#d33", width=12
    )


def _cover(draw, w, h, colour, rng):
    outline = [
        (w * 0.1, h * 0.66),
        (w * 0.14, h * 0.5),
        (w * 0.3, h * 0.44),
        (w * 0.38, h * 0.3),
        (w * 0.68, h * 0.3),
        (w * 0.78, h * 0.44),
        (w * 0.9, h * 0.5),
        (w * 0.92, h * 0.66),
    ]
    draw.polygon(outline, fill=colour)
    for i in range(1, 6):
        x = w * (0.16 + i * 0.13)
        draw.line([(x, h * 0.34), (x - 30, h * 0.66)], fill=_darken(colour, 0.12), width=5)
    for x in (0.27, 0.75):
        draw.ellipse([w * x - 70, h * 0.6, w * x + 70, h * 0.74], fill=_darken(colour, 0.3))


def _charger(draw, w, h, colour, rng):
    draw.rounded_rectangle([w * 0.3, h * 0.18, w * 0.62, h * 0.7], radius=40, fill=colour)
    draw.rounded_rectangle([w * 0.36, h * 0.26, w * 0.56, h * 0.36], radius=12, fill="#1b2a3a")
    draw.ellipse([w * 0.43, h * 0.44, w * 0.49, h * 0.52], fill="#3ec46d")
    points = [(w * 0.46, h * 0.7)]
    for i in range(1, 12):
        t = i / 11
        points.append((w * (0.46 + 0.3 * t), h * (0.7 + 0.1 * math.sin(t * math.pi))))
    draw.line(points, fill="#222", width=16, joint="curve")
    draw.rounded_rectangle([w * 0.74, h * 0.64, w * 0.84, h * 0.74], radius=12, fill="#333")


def _umbrella(draw, w, h, colour, rng):
    cx, top = w * 0.5, h * 0.2
    draw.pieslice([w * 0.14, top, w * 0.86, h * 0.78], 180, 360, fill=colour)
    for i in range(1, 6):
        x = w * (0.14 + i * 0.12)
        draw.arc(
            [x - w * 0.06, h * 0.44, x + w * 0.06, h * 0.54],
            180,
            360,
            fill=_lighten(colour, 0.6),
            width=6,
        )
    draw.line([(cx, top), (cx, h * 0.76)], fill="#333", width=14)
    draw.arc([cx - 60, h * 0.7, cx + 20, h * 0.82], 0, 180, fill="#333", width=14)


def _gloves(draw, w, h, colour, rng):
    for ox, flip in ((0.18, 1), (0.52, -1)):
        x0 = w * ox
        draw.rounded_rectangle([x0, h * 0.4, x0 + w * 0.26, h * 0.74], radius=40, fill=colour)
        for i in range(4):
            fx = x0 + w * (0.02 + i * 0.062)
            draw.rounded_rectangle(
                [fx, h * (0.2 + 0.03 * abs(1.5 - i)), fx + w * 0.05, h * 0.5],
                radius=24,
                fill=colour,
            )
        tx = x0 + (w * 0.24 if flip > 0 else -w * 0.02)
        draw.rounded_rectangle([tx, h * 0.46, tx + w * 0.06, h * 0.62], radius=24, fill=colour)
        draw.rectangle([x0, h * 0.68, x0 + w * 0.26, h * 0.74], fill=_darken(colour, 0.35))
        for i in range(3):
            draw.ellipse(
                [x0 + w * (0.06 + i * 0.06), h * 0.56, x0 + w * (0.08 + i * 0.06), h * 0.585],
                fill=_lighten(colour, 0.5),
            )


def _seats(draw, w, h, colour, rng):
    for ox in (0.16, 0.52):
        x0 = w * ox
        draw.rounded_rectangle([x0, h * 0.2, x0 + w * 0.3, h * 0.62], radius=50, fill=colour)
        draw.rounded_rectangle(
            [x0 - 10, h * 0.58, x0 + w * 0.32, h * 0.74], radius=40, fill=_darken(colour, 0.15)
        )
        for i in range(1, 6):  # tartan lines
            draw.line(
                [(x0 + w * 0.05 * i, h * 0.22), (x0 + w * 0.05 * i, h * 0.6)],
                fill="#1d4e2b",
                width=8,
            )
            draw.line(
                [(x0 + 10, h * (0.2 + 0.07 * i)), (x0 + w * 0.3 - 10, h * (0.2 + 0.07 * i))],
                fill="#f4d03f",
                width=4,
            )


MOTIFS: dict[str, Draw] = {
    "spoiler": _spoiler,
    "mats": _mats,
    "chains": _chains,
    "roofbox": _roofbox,
    "mirror": _mirror,
    "rack": _rack,
    "cover": _cover,
    "charger": _charger,
    "umbrella": _umbrella,
    "gloves": _gloves,
    "seats": _seats,
}


def accessory_photo(motif: str, *, colour: str, seed: str = "", backdrop: str = "#e9edf1") -> bytes:
    """A JPEG studio shot of one of :data:`MOTIFS` in ``colour``."""
    if motif not in MOTIFS:
        raise ValueError(f"Unknown accessory motif {motif!r}; choose one of {sorted(MOTIFS)}.")
    rng = _rng("accessory", motif, seed)
    w, h = SIZE[0] * SCALE, SIZE[1] * SCALE
    back = hex_to_rgb(backdrop)
    scene = _gradient(
        (w, h), [(0.0, _lighten(back, 0.5)), (0.72, back), (1.0, _darken(back, 0.08))]
    )
    shadow = Image.new("L", (w, h), 0)
    ImageDraw.Draw(shadow).ellipse([w * 0.16, h * 0.72, w * 0.84, h * 0.84], fill=110)
    shadow = shadow.filter(ImageFilter.GaussianBlur(40))
    scene.paste(Image.new("RGB", (w, h), _darken(back, 0.45)), mask=shadow)
    MOTIFS[motif](ImageDraw.Draw(scene), w, h, hex_to_rgb(colour), rng)
    return _jpeg(scene.resize(SIZE, Image.LANCZOS))
