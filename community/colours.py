"""Colour arithmetic on #rrggbb strings (WCAG contrast): pure functions for models, showrooms and
templates alike."""


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(colour_a: str, colour_b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    high, low = sorted((_luminance(colour_a), _luminance(colour_b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_ink(hex_colour: str) -> str:
    """Black or white, whichever reads better on the given background colour (WCAG contrast)."""
    try:
        lum = _luminance(hex_colour)
    except (TypeError, ValueError, IndexError):
        return "#ffffff"
    contrast_white = 1.05 / (lum + 0.05)
    contrast_black = (lum + 0.05) / 0.05
    return "#ffffff" if contrast_white >= contrast_black else "#1b1b1b"
