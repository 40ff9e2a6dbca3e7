"""Member-written rich text, cleaned with nh3 whichever way it arrives (form, ORM, admin, import)."""

import re

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h3",
    "h4",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
_HAS_TAG = re.compile(r"<[a-zA-Z/][^>]*>")


def clean_html(value: str) -> str:
    """Only harmless formatting survives; links get rel="nofollow ugc noopener noreferrer"."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener noreferrer",
        strip_comments=True,
    ).strip()


def text_to_html(value: str) -> str:
    """A story typed as plain text becomes paragraphs; text with tags is left for clean_html."""
    if _HAS_TAG.search(value or ""):
        return value
    from django.utils.html import escape

    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value or "") if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
