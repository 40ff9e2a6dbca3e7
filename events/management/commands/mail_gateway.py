"""``manage.py mail_gateway``: receive members' replies by SMTP (or hand one over from a file).

manage.py mail_gateway --host 0.0.0.0 --port 2525   # a mail server forwards rsvp+...@ here
manage.py mail_gateway --file reply.eml             # one machine: hand a saved reply over
"""

import time
from email import policy
from email.parser import BytesParser

from django.core.management.base import BaseCommand, CommandError

from events.gateway import gateway_controller
from events.inbound import handle_inbound


class Command(BaseCommand):
    help = "Run the SMTP mail gateway for members' replies, or handle one .eml file."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2525)
        parser.add_argument("--file", help="Handle this .eml file once and exit.")

    def handle(self, *args, host, port, file, **options):
        if file:
            try:
                with open(file, "rb") as handle:
                    message = BytesParser(policy=policy.default).parse(handle)
            except OSError as error:
                raise CommandError(f"Cannot read {file}: {error}") from None
            record = handle_inbound(message, via="file")
            if record is None:
                self.stdout.write("Already handled (same Message-ID): nothing changed.")
            else:
                self.stdout.write(
                    f"{record.get_outcome_display()} ({record.detail or record.sender})"
                )
            return
        controller = gateway_controller(host=host, port=port)
        controller.start()
        self.stdout.write(f"Mail gateway listening on {host}:{port}. Ctrl+C stops it.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
