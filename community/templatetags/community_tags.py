import html as html_lib
import re

from django import template
from django.utils.safestring import mark_safe

from community.colours import readable_ink
from community.showrooms import absolute_url as showroom_absolute_url
from community.text import possessive
from paddock.page_cache import shared

register = template.Library()


register.filter("readable_ink", readable_ink)


@register.filter
def quoted(text: str) -> str:
    """Plain text quoted line by line ("> "), so what someone typed reads as their words in an
    email and can never pass for the email's own lines."""
    return "\n".join(f"> {line}" for line in str(text or "").splitlines()) or "> (none)"


@register.filter(name="possessive")
def possessive_filter(name) -> str:
    """{{ club.title|possessive }}: "Cooper S Owners'", "Harbourside MINI's" (community/text.py)."""
    return possessive(name)


@register.filter
def excerpt(html: str, words: int = 30) -> str:
    """Plain text of member HTML for listings: paragraphs stay apart, tags go, long text is cut."""
    from django.utils.html import strip_tags
    from django.utils.text import Truncator

    spaced = re.sub(r"</(p|li|h3|h4|blockquote)>|<br\s*/?>", " ", html or "", flags=re.I)
    text = " ".join(html_lib.unescape(strip_tags(spaced)).split())  # the template escapes it again
    return Truncator(text).words(int(words), truncate="…")


@register.filter
def initials(name: str) -> str:
    parts = [p for p in str(name).split() if p[:1].isalnum()]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


@register.simple_tag(takes_context=True)
def nav_current(context, prefix: str) -> str:
    """``aria-current="page"`` for the navigation link whose path the current page starts with."""
    request = context.get("request")
    if not request:
        return ""
    path = request.path
    active = path == "/" if prefix == "/" else path.startswith(prefix)
    return mark_safe('aria-current="page"') if active else ""


def _site_root(context):
    from wagtail.models import Site

    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Live pages directly under the site's home page that editors marked "show in menus"."""
    root = _site_root(context)
    if root is None:
        return []
    return shared(
        f"menu:main:{root.pk}",
        lambda: list(root.get_children().live().public().in_menu().specific(defer=True)),
    )


@register.simple_tag(takes_context=True)
def footer_menu(context):
    """Live pages under the home page that are not in the main menu (privacy, house rules...)."""
    root = _site_root(context)
    if root is None:
        return []
    return shared(
        f"menu:footer:{root.pk}",
        lambda: list(root.get_children().live().public().not_in_menu().order_by("title")),
    )


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """``{% absolute_url path %}``: ``path`` on this showroom's public address (the one rule,
    community.showrooms.absolute_url); an address that is already absolute (media on S3) as is."""
    path = str(path or "")
    if "://" in path:
        return path
    return showroom_absolute_url(path, request=context.get("request"))
