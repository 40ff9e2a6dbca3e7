"""Background work of the staff tools (Celery in production; ``manage.py run_schedule`` under
``make run``)."""

from celery import shared_task

from staff.lounge import lounge_digests_due


@shared_task
def lounge_digests_task() -> int:
    """Beat, every ten minutes: once the morning hour has come, each advisor gets today's digest
    of their owners in the service lounge (once a day; a run that finds it sent does nothing)."""
    return lounge_digests_due()
