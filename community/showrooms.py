"""Several showrooms on one install: each dealership of a group is a Wagtail Site.

A Site has its own home page (and below it its clubs and events), its own DealershipSettings
(name, logo, colours, contact and sender address) and its own host name. Member accounts are shared
by every showroom. What a page lists is what lies under its own Site's home page; what a mail says
and links to is the Site of the page it is about (the event, the club).

Addresses: the default Site is reached at ``SITE_URL`` (the public address the operator configured;
``make run`` sets it to where it serves, http://$(HOST):$(PORT)); every other Site at its own host
name and port (port 443 means https), as Wagtail builds them. ``absolute_url`` is the one rule for
every absolute link Paddock hands out: mail (its own and allauth's), calendar feeds, QR codes and
og: tags all go through it, never through ``request.build_absolute_uri``.

The page models reach this module through ``community.selectors`` while ``community.models`` is
still loading, so it reads the settings model through the module (``models.DealershipSettings``).
"""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.db.models import Q
from wagtail.models import Page, PageViewRestriction, Site

from community import models
from community.colours import readable_ink
from paddock.page_cache import shared


def default_site() -> Site | None:
    return Site.objects.filter(is_default_site=True).select_related("root_page").first()


def site_for_request(request) -> Site | None:
    """The Site a request is for (Wagtail caches it on the request), or the default one."""
    if request is None:
        return default_site()
    return Site.find_for_request(request) or default_site()


def site_of(page) -> Site | None:
    """The Site a page belongs to; the default Site for a page outside every Site (or None)."""
    if page is None:
        return default_site()
    cached = getattr(page, "_paddock_site", None)
    if cached is None:

        def find():
            parts = page.get_url_parts()
            return (
                Site.objects.select_related("root_page").filter(pk=parts[0]).first()
                if parts
                else None
            )

        # Kept until the next move, publication or Site change (the page cache's generation).
        cached = shared(f"site-of:{page.pk}", find) if page.pk else find()
        page._paddock_site = cached = cached or default_site()
    return cached


def site_url(site: Site | None) -> str:
    """The site's public address, without a trailing slash."""
    if site is None or site.is_default_site:
        return settings.SITE_URL
    return site.root_url.rstrip("/")


def absolute_url(path: str, *, site: Site | None = None, request=None) -> str:
    """``path`` on a showroom's public address: ``site``'s, else the Site ``request`` is for, else
    the default Site's (``SITE_URL``)."""
    if site is None and request is not None:
        site = site_for_request(request)
    return site_url(site) + path


def site_page_url(page, site: Site | None = None) -> str:
    """A page's absolute address on its own Site (``site_url`` + the page's path there)."""
    parts = page.get_url_parts()
    if parts is None:
        return site_url(site or default_site()) + "/"
    site = site or site_of(page)
    return site_url(site) + parts[2]


def dealership(site: Site | None):
    """The showroom's DealershipSettings (None without any Site), read once per Site instance
    (a mail asks for its name and sender address several times)."""
    if site is None:
        return None
    settings_ = getattr(site, "_paddock_dealership", None)
    if settings_ is None:
        settings_ = site._paddock_dealership = models.DealershipSettings.for_site(site)
    return settings_


def dealership_name(site: Site | None) -> str:
    settings_ = dealership(site)
    return settings_.name if settings_ else "Paddock"


def sender_address(site: Site | None) -> str:
    """The From: of mail about this showroom: its own sender address with its name, else
    DEFAULT_FROM_EMAIL."""
    settings_ = dealership(site)
    if settings_ is None:
        return settings.DEFAULT_FROM_EMAIL
    # Without an address of its own the showroom still signs with its name, never "Paddock".
    address = settings_.from_email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return formataddr((settings_.name, address))


def mail_brand(site: Site | None) -> dict:
    """The showroom's colours for the HTML mails it sends (the same settings as theme.css):
    ``colour`` (buttons, the header band, links), ``ink`` (text on it), ``accent`` and
    ``accent_ink``."""
    settings_ = dealership(site)
    colour = (
        settings_.brand_colour
        if settings_
        else models.DealershipSettings.brand_colour.field.default
    )
    accent = (
        settings_.accent_colour
        if settings_
        else models.DealershipSettings.accent_colour.field.default
    )
    return {
        "colour": colour,
        "ink": readable_ink(colour),
        "accent": accent,
        "accent_ink": readable_ink(accent),
    }


def contact_email(site: Site | None) -> str:
    settings_ = dealership(site)
    return (settings_.email if settings_ else "") or settings.SERVER_EMAIL


def site_root(request) -> Page | None:
    """The home page of the showroom a request is for."""
    site = site_for_request(request)
    return site.root_page if site is not None else None


def under_q(root: Page | None, field: str = "") -> Q:
    """A filter for pages (``field=""``) or rows pointing at a page (``field="club__"``) that lie
    under a showroom's home page ``root``; everything when ``root`` is None."""
    if root is None:
        return Q()
    return Q(**{f"{field}path__startswith": root.path})


def posts_of_showroom_q(root: Page | None) -> Q:
    """Posts a showroom shows: its own clubs' posts, and the group's posts outside any club."""
    if root is None:
        return Q()
    return Q(club__isnull=True) | Q(club__path__startswith=root.path)


def restricted_paths() -> tuple[str, ...]:
    """The tree paths of the private sections (pages with a view restriction), read once per
    cache generation (saving or deleting a restriction starts a new one) and kept in each
    process for it."""
    return shared(
        "restricted-paths",
        lambda: tuple(PageViewRestriction.objects.values_list("page__path", flat=True)),
        memo=True,
    )


def public_q(field: str = "") -> Q:
    """What ``PageQuerySet.public()`` filters on (pages outside every private section), with the
    private sections read once per cache generation rather than once per query."""
    paths = restricted_paths()
    private = Q()
    for path in paths:
        private |= Q(**{f"{field}path__startswith": path})
    return ~private if paths else Q()
