"""Templated emails to members: rendered from templates/email/<name>_subject.txt and <name>.txt.

Services queue them in the outbox (``queue_mail``, see community/outbox.py): written in the
service's transaction, sent by a Celery worker after it commits, so a slow or unavailable SMTP
server never fails the member's request and never loses the message.
"""

from django.template.loader import render_to_string

from community.outbox import outbox_enqueue

# The showroom's address, name and contact have one home, community.showrooms; mail reads them.
from community.showrooms import (
    absolute_url,  # noqa: F401  (re-exported: the one rule for absolute links, used by services)
    dealership_name,
    default_site,
    mail_brand,
    sender_address,
    site_of,
    site_url,
)


def mail_site(page=None):
    """The showroom a mail speaks for: the Site of the page it is about (an event, a club)."""
    return site_of(page)


def render_mail(*, template: str, context: dict, site=None) -> tuple[str, str]:
    site = site or default_site()
    site_base = site_url(site)
    context = {"dealership_name": dealership_name(site), "site_url": site_base, **context}
    subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
    return subject, render_to_string(f"email/{template}.txt", context)


def render_mail_html(*, template: str, context: dict, site=None) -> str:
    """The HTML part from templates/email/<name>.html, autoescaped like any page, in the
    showroom's colours (``brand``: see ``showrooms.mail_brand``)."""
    site = site or default_site()
    site_base = site_url(site)
    context = {
        "dealership_name": dealership_name(site),
        "site_url": site_base,
        "brand": mail_brand(site),
        **context,
    }
    return render_to_string(f"email/{template}.html", context)


def queue_mail(
    *,
    template: str,
    to: list[str],
    context: dict,
    dedupe_key: str | None = None,
    html: bool = False,
    site=None,
) -> None:
    """Render now and queue in the outbox (sent after the transaction commits, never lost).

    ``html=True`` adds an HTML part rendered from ``email/<template>.html``. ``site``: the showroom
    the mail speaks for (its name, links and sender address).
    """
    subject, body = render_mail(template=template, context=context, site=site)
    html_body = render_mail_html(template=template, context=context, site=site) if html else ""
    from_email = sender_address(site or default_site())
    for address in to:
        outbox_enqueue(
            kind=template,
            to=address,
            subject=subject,
            body=body,
            html=html_body,
            from_email=from_email,
            dedupe_key=f"{dedupe_key}:{address}" if dedupe_key else None,
        )


UNSUBSCRIBE_SALT = "paddock.unsubscribe"


def unsubscribe_url(*, member, category: str, site=None) -> str:
    from django.core import signing
    from django.urls import reverse

    token = signing.dumps({"m": member.pk, "c": category}, salt=UNSUBSCRIBE_SALT, compress=True)
    return absolute_url(reverse("community:unsubscribe", args=[token]), site=site)


def list_unsubscribe_headers(*, member, category: str, site=None) -> dict:
    """RFC 2369 + RFC 8058 headers for bulk mail: one POST to the URL unsubscribes, no login."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(member=member, category=category, site=site)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
