"""Celery tasks for the staff tools: thin wrappers around services."""

from celery import shared_task


@shared_task
def lounge_digests_task() -> int:
    """Beat, every ten minutes: once the morning hour has come, each advisor gets today's digest
    of their owners in the service lounge (once a day; a run that finds it sent does nothing)."""
    from crm.lounge import lounge_digests_due

    return lounge_digests_due()
