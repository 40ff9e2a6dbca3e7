"""Celery tasks: thin wrappers around services, taking plain values."""

from smtplib import SMTPException

from celery import shared_task


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, max_retries=8)
def send_mail_task(*, template: str, to: list[str], context: dict) -> None:
    from community.mail import send_mail_now

    send_mail_now(template=template, to=to, context=context)
