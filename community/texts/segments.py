"""How many SMS segments a text costs, so Paddock's texts fit in one where they can.

A text made only of GSM 03.38 characters is sent as GSM-7: 160 characters in one segment, 153 per
segment once it is split (the rest carries the joining header); the extension characters
(``{ } [ ] ~ \\ | ^ €`` and form feed) take two. Any other character (an emoji, a curly quote,
most accented letters) turns the whole text into UCS-2: 70 UTF-16 units in one segment, 67 per
segment once split (an emoji is two units).
"""

import math

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("\f^{}\\[~]|€")


def is_gsm7(body: str) -> bool:
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in body)


def text_length(body: str) -> tuple[str, int]:
    """The encoding a text needs ("GSM-7" or "UCS-2") and its length in that encoding's units."""
    if is_gsm7(body):
        return "GSM-7", sum(2 if char in GSM7_EXTENSION else 1 for char in body)
    return "UCS-2", len(body.encode("utf-16-le")) // 2


def text_segments(body: str) -> int:
    """How many segments ``body`` is sent in (1 for an empty text)."""
    encoding, length = text_length(body)
    single, part = (160, 153) if encoding == "GSM-7" else (70, 67)
    if length <= single:
        return 1
    return math.ceil(length / part)
