"""``manage.py run_schedule``: Celery beat's schedule, run in-process, for a machine without Redis.

``make run`` starts it beside the development server, so reminders, change notices and the outbox
flush happen on one machine too. It runs the very tasks listed in CELERY_BEAT_SCHEDULE, each
directly (``task.apply()``), at its interval. In production run Celery beat and a worker instead.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from paddock.celery import app


class Command(BaseCommand):
    help = "Run the periodic tasks of CELERY_BEAT_SCHEDULE in this process (one-machine mode)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every task once and exit.")

    def handle(self, *args, once: bool, **options):
        app.loader.import_default_modules()
        schedule = {
            name: (entry["task"], float(entry["schedule"]))
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        }
        due = {name: 0.0 for name in schedule}
        self.stdout.write("Running the schedule: " + ", ".join(sorted(schedule)))
        while True:
            now = time.monotonic()
            for name, (task_name, every) in schedule.items():
                if once or now >= due[name]:
                    result = app.tasks[task_name].apply()
                    if result.failed():
                        self.stderr.write(f"{name} failed: {result.result!r}")
                    due[name] = now + every
            if once:
                return
            time.sleep(5)
