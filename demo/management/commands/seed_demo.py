"""``manage.py seed_demo``: build the demo dealership, or fill in what is missing from it.

The steps and the rules for re-running live in :mod:`demo.seed`, the content in demo/data/.
"""

import logging
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.seed import DEMO_PASSWORD, DEMO_STEPS, DemoError, seed_demo
from demo.steps.showroom import seed_second_showroom

# Loggers that narrate every page save and background task at INFO level; the summary says enough.
CHATTY_LOGGERS = ["wagtail", "django_tasks"]


@contextmanager
def quieter(names: list[str], level: int = logging.WARNING):
    loggers = [logging.getLogger(name) for name in names]
    before = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(level, logger.getEffectiveLevel()))
    try:
        yield
    finally:
        for logger, old in zip(loggers, before, strict=True):
            logger.setLevel(old)


class Command(BaseCommand):
    help = (
        "Create a demo MINI dealership: settings, car models, staff, members with garages and "
        "pages. Safe to run again: it only adds what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with PADDOCK_ENV=production. The demo accounts, a superuser among "
            f"them, all use the published password {DEMO_PASSWORD!r}.",
        )
        parser.add_argument(
            "--second-showroom",
            metavar="HOST",
            help="Also add a second showroom of the group as its own Wagtail Site, served at HOST "
            "(e.g. southbay.localhost): own home, branding, events and club; shared members.",
        )

    def handle(self, *args, **options):
        if getattr(settings, "PADDOCK_ENV", "") == "production" and not options["allow_production"]:
            raise CommandError(
                "Refusing to seed demo accounts with a published password in production "
                "(PADDOCK_ENV=production). Use --allow-production for a public demo site."
            )
        steps = None
        if host := options.get("second_showroom"):
            steps = [
                *DEMO_STEPS,
                partial(seed_second_showroom, hostname=host),
                "community.renditions.seed_renditions",
            ]
        try:
            if options["verbosity"] > 1:
                report = seed_demo(steps=steps)
            else:
                with quieter(CHATTY_LOGGERS):
                    report = seed_demo(steps=steps)
        except DemoError as error:
            raise CommandError(str(error)) from error

        heading = (
            "Seeded the demo dealership" if report.created_anything else "The demo is complete"
        )
        self.stdout.write(self.style.SUCCESS(f"{heading} ({report.seconds:.1f} s)."))
        for line in report.lines():
            self.stdout.write(line)
        if not report.created_anything:
            self.stdout.write("  nothing new: everything was already there")
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD!r}):")
        for label, email, created in report.logins:
            note = "" if created else "  (already there: password not reset)"
            self.stdout.write(f"  {label:<24}{email}{note}")
