import html as html_lib
import re

from django import template
from django.utils.safestring import mark_safe

from community.colours import readable_ink
from community.page_parts import MARK_MARKER, SLOT_MARKER, slot_register
from community.page_parts import member_mark as page_member_mark
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


def _menu(context, name: str, pages) -> list[dict]:
    """Each page's title and address on this showroom, worked out once per cache generation."""
    request = context.get("request")
    root = _site_root(context)
    if root is None:
        return []
    return shared(
        f"menu:{name}:{root.pk}",
        lambda: [{"title": p.title, "url": p.get_url(request)} for p in pages(root)],
    )


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Live pages directly under the site's home page that editors marked "show in menus"."""
    return _menu(context, "main", lambda root: root.get_children().live().public().in_menu())


@register.simple_tag(takes_context=True)
def footer_menu(context):
    """Live pages under the home page that are not in the main menu (privacy, house rules...)."""
    return _menu(
        context,
        "footer",
        lambda root: root.get_children().live().public().not_in_menu().order_by("title"),
    )


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """``{% absolute_url path %}``: ``path`` on this showroom's public address (the one rule,
    community.showrooms.absolute_url); an address that is already absolute (media on S3) as is."""
    path = str(path or "")
    if "://" in path:
        return path
    return showroom_absolute_url(path, request=context.get("request"))


# --- members' own parts of a shared page (community/page_parts.py) ----------------------------


class PersonalNode(template.Node):
    def __init__(self, slot_id: str, nodelist):
        self.slot_id, self.nodelist = slot_id, nodelist

    def render(self, context):
        if context.get("paddock_shared_body"):
            return SLOT_MARKER.format(self.slot_id)
        return self.nodelist.render(context)


@register.tag
def personal(parser, token):
    """``{% personal "name" %}...{% endpersonal %}``: a region that is one member's own (their
    RSVP, a form with their CSRF token): rendered per request, outside the shared body. It may use
    the page's context, ``user``, ``request``, ``csrf_token`` and ``messages``, never a variable set
    by an enclosing ``{% with %}``, ``{% for %}`` or ``{% include ... with %}``."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError('Use {% personal "name" %}...{% endpersonal %}.')
    nodelist = parser.parse(("endpersonal",))
    parser.delete_first_token()
    origin = getattr(parser, "origin", None)
    slot_id = f"{getattr(origin, 'template_name', None) or '?'}#{bits[1][1:-1]}"
    node = PersonalNode(slot_id, nodelist)
    slot_register(slot_id, node)
    return node


@register.simple_tag
def member_mark(name: str) -> str:
    """``{% member_mark "name" %}``: in a shared body, the stand-in for one value of the member's
    own (``page_parts.member_mark``), filled from the page's ``MEMBER_MARKS`` as it is served."""
    return page_member_mark(name)


class PersonalMarkNode(template.Node):
    def __init__(self, kind: str, pk, nodelist):
        self.kind, self.pk, self.nodelist = kind, pk, nodelist

    def render(self, context):
        pk = int(self.pk.resolve(context))
        default = self.nodelist.render(context)
        return MARK_MARKER.format(kind=self.kind, pk=pk, default=default)


@register.tag
def personal_mark(parser, token):
    """``{% personal_mark "club_badge" club.pk %}default{% endpersonal_mark %}``: the viewer's own
    note on one item of a list, filled for the whole page at once by the renderer registered for
    the kind (``page_parts.personal_marks_fill``); the default shows when it has none."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError(
            'Use {% personal_mark "kind" pk %}default{% endpersonal_mark %}.'
        )
    nodelist = parser.parse(("endpersonal_mark",))
    parser.delete_first_token()
    return PersonalMarkNode(bits[1][1:-1], parser.compile_filter(bits[2]), nodelist)
