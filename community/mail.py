"""Templated emails to members: rendered from templates/email/<name>_subject.txt and <name>.txt.

Services queue them after their transaction commits (``queue_mail``); a Celery task sends them, so
a slow or unavailable SMTP server never fails the member's request.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
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


def send_mail_now(*, template: str, to: list[str], context: dict) -> None:
    context = {"dealership_name": dealership_name(), "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
    body = render_to_string(f"email/{template}.txt", context)
    EmailMultiAlternatives(subject=subject, body=body, to=to).send()


def queue_mail(*, template: str, to: list[str], context: dict) -> None:
    """Send after the current transaction commits, through Celery. ``context`` must be JSON-safe."""
    from community.tasks import send_mail_task

    transaction.on_commit(lambda: send_mail_task.delay(template=template, to=to, context=context))
