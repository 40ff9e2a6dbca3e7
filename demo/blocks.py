"""Assembling the demo's page bodies: StreamField blocks from the texts in demo/data/.

A body in a data file is an array of tables, one block each, named by its one key of kind::

    [[pages.body]]
    heading = "Who we are"
    [[pages.body]]
    paragraph = "<p>Paddock is run by ${dealership_name}.</p>"
    [[pages.body]]
    quote = "We've always known our customers by name."
    attribution = "Hannah Price, community manager"
    [[pages.body]]
    call_to_action = "Before you join in"
    text = "The house rules are short."
    page = "house-rules"
    button = "Read the house rules"

In a paragraph, ``${name}`` is filled in from the values the step gives (the dealership's name,
an address from ``reverse()``), and ``<a linktype="page" slug="privacy">`` becomes a link to the
demo page with that slug: plain text when the page is not there. A call to action pointing at a
page that is not there is left out.
"""

from __future__ import annotations

import re
from string import Template

from wagtail.models import Page

from demo.data import DataFile

BLOCK_KEYS = {
    "heading": {"heading", "size"},
    "paragraph": {"paragraph"},
    "quote": {"quote", "attribution"},
    "call_to_action": {"call_to_action", "text", "page", "button"},
}
PAGE_LINK = re.compile(r'<a linktype="page" slug="(?P<slug>[\w-]+)">(?P<text>.*?)</a>', re.S)


def heading(text: str, *, size: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "size": size}}


def paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def quote(text: str, *, attribution: str) -> dict:
    return {"type": "quote", "value": {"text": text, "attribution": attribution}}


def call_to_action(*, heading: str, text: str, page: Page, button_label: str) -> dict:
    return {
        "type": "call_to_action",
        "value": {
            "heading": heading,
            "text": text,
            "page": page.pk,
            "url": "",
            "button_label": button_label,
        },
    }


def body(
    blocks: list, *, file: DataFile, entry: str, pages: dict[str, Page], values: dict[str, str]
) -> list[dict]:
    """StreamField data for the ``blocks`` of a data file's entry (see the module's docstring)."""
    if not isinstance(blocks, list):
        raise file.error(entry, "body should be an array of tables [[...body]]")
    out = []
    for n, block in enumerate(blocks, start=1):
        where = f"{entry}, body block {n}"
        kinds = [key for key in BLOCK_KEYS if isinstance(block, dict) and key in block]
        if len(kinds) != 1:
            raise file.error(where, f"give exactly one of {', '.join(BLOCK_KEYS)}")
        kind = kinds[0]
        unknown = set(block) - BLOCK_KEYS[kind]
        if unknown or not all(isinstance(v, str) for v in block.values()):
            raise file.error(
                where, f"a {kind} block takes text values for {sorted(BLOCK_KEYS[kind])}"
            )
        if kind == "heading":
            out.append(heading(block["heading"], size=block.get("size", "h2")))
        elif kind == "paragraph":
            out.append(
                paragraph(
                    _fill(block["paragraph"], file=file, where=where, pages=pages, values=values)
                )
            )
        elif kind == "quote":
            out.append(quote(block["quote"], attribution=block.get("attribution", "")))
        elif (page := pages.get(block.get("page", ""))) is not None:
            out.append(
                call_to_action(
                    heading=block["call_to_action"],
                    text=block.get("text", ""),
                    page=page,
                    button_label=block.get("button", ""),
                )
            )
    return out


def _fill(html: str, *, file: DataFile, where: str, pages: dict[str, Page], values: dict) -> str:
    try:
        html = Template(html).substitute(values)
    except (KeyError, ValueError) as error:
        raise file.error(
            where, f"unknown placeholder {error} (known: {', '.join(values)})"
        ) from error

    def link(match: re.Match) -> str:
        page = pages.get(match["slug"])
        if page is None:
            return match["text"]
        return f'<a linktype="page" id="{page.pk}">{match["text"]}</a>'

    return PAGE_LINK.sub(link, html)
