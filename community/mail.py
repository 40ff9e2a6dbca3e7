"""Templated emails to members: rendered from templates/email/<name>_subject.txt and <name>.txt.

Services queue them in the outbox (``queue_mail``, see community/outbox.py): written in the
service's transaction, sent by a Celery worker after it commits, so a slow or unavailable SMTP
server never fails the member's request and never loses the message.
"""

from django.conf import settings
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def dealership_name() -> str:
    from wagtail.models import Site

    from community.models import DealershipSettings

    site = Site.objects.filter(is_default_site=True).first()
    return DealershipSettings.for_site(site).name if site else "Paddock"


def dealership_contact_email() -> str:
    from wagtail.models import Site

    from community.models import DealershipSettings

    site = Site.objects.filter(is_default_site=True).first()
    return (DealershipSettings.for_site(site).email if site else "") or settings.SERVER_EMAIL


def render_mail(*, template: str, context: dict) -> tuple[str, str]:
    context = {"dealership_name": dealership_name(), "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
    return subject, render_to_string(f"email/{template}.txt", context)


def render_mail_html(*, template: str, context: dict) -> str:
    """The HTML part from templates/email/<name>.html, autoescaped like any page."""
    context = {"dealership_name": dealership_name(), "site_url": settings.SITE_URL, **context}
    return render_to_string(f"email/{template}.html", context)


def queue_mail(
    *,
    template: str,
    to: list[str],
    context: dict,
    dedupe_key: str | None = None,
    html: bool = False,
) -> None:
    """Render now and queue in the outbox (sent after the transaction commits, never lost).

    ``html=True`` adds an HTML part rendered from ``email/<template>.html``.
    """
    from community.outbox import outbox_enqueue

    subject, body = render_mail(template=template, context=context)
    html_body = render_mail_html(template=template, context=context) if html else ""
    for address in to:
        outbox_enqueue(
            kind=template,
            to=address,
            subject=subject,
            body=body,
            html=html_body,
            dedupe_key=f"{dedupe_key}:{address}" if dedupe_key else None,
        )


UNSUBSCRIBE_SALT = "paddock.unsubscribe"
PREFERENCES = {
    "invitations": ("email_invitations", "event invitations"),
    "reminders": ("email_reminders", "event reminders"),
    "community": ("email_community", "club news and replies to your posts"),
}


def unsubscribe_url(*, member, category: str) -> str:
    from django.core import signing
    from django.urls import reverse

    token = signing.dumps({"m": member.pk, "c": category}, salt=UNSUBSCRIBE_SALT, compress=True)
    return absolute_url(reverse("community:unsubscribe", args=[token]))


def list_unsubscribe_headers(*, member, category: str) -> dict:
    """RFC 2369 + RFC 8058 headers for bulk mail: one POST to the URL unsubscribes, no login."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(member=member, category=category)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
