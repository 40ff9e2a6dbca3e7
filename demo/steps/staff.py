"""The demo dealership's staff tools: members' phone numbers and advisors, and today's service
appointments in the lounge, imported through the same upload staff use.

The advisors, the work booked and the customers who are not members are read from
demo/data/service_lounge.toml; phone numbers and times are derived from each member's place.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from io import BytesIO

from django.utils import timezone

from community.models import Appointment, Member
from demo.data import read
from demo.seed import DemoContext
from staff import lounge


@dataclass(frozen=True)
class DemoWalkIn:
    name: str
    contact: str  # an email address or a phone number
    plate: str


@dataclass(frozen=True)
class DemoLounge:
    advisors: tuple[str, ...]  # demo staff emails
    appointments: int  # members among today's appointments
    work: tuple[str, ...]
    walk_ins: tuple[DemoWalkIn, ...] = ()


LOUNGE_FILE = read("service_lounge.toml")
LOUNGE = LOUNGE_FILE.entry(DemoLounge, "lounge")


def seed_staff_tools(context: DemoContext) -> None:
    """Give members a phone and an advisor (only where none is set), and put today's service
    appointments in the lounge, imported through the same upload staff use."""
    rng = random.Random("paddock-staff-tools")
    advisors = [context.members[e] for e in LOUNGE.advisors if e in context.members]
    owners = [m for m in context.members.values() if not m.is_staff]
    for n, member in enumerate(owners):
        changed = []
        if not member.phone:
            member.phone = f"07700 900{100 + n:03d}"
            changed += ["phone", "phone_key"]
        if advisors and member.advisor_id is None and n % 4 != 3:  # a few have nobody yet
            member.advisor = advisors[0] if n % 3 else advisors[-1]
            changed.append("advisor")
        if changed:
            member.save(update_fields=changed)
    today = timezone.localdate()
    if Appointment.objects.filter(day=today).exists() or not owners:
        context.report.kept("lounge appointments")
        return
    lines = ["Time;Customer name;Email or phone;Plate;Work"]
    chosen = rng.sample(owners, min(LOUNGE.appointments, len(owners)))
    for n, member in enumerate(chosen):
        car = member.cars.first()
        # Recognised three ways, as a workshop export mixes them.
        contact = member.email if n % 3 == 0 else (member.phone if n % 3 == 1 else "")
        plate = car.registration if car else ""
        lines.append(
            f"{8 + n // 2:02d}:{30 * (n % 2):02d};{member.display_name};{contact};{plate};{rng.choice(LOUNGE.work)}"
        )
    for n, walk_in in enumerate(LOUNGE.walk_ins):
        lines.append(
            f"{13 + n}:15;{walk_in.name};{walk_in.contact};{walk_in.plate};{rng.choice(LOUNGE.work)}"
        )
    upload = BytesIO("\n".join(lines).encode())
    upload.name = f"workshop-{today:%Y-%m-%d}.csv"
    by = Member.objects.filter(email=LOUNGE.advisors[-1]).first()
    batch, _ = lounge.lounge_import_prepare(upload=upload, day=today, by=by)
    batch = lounge.lounge_import_confirm(batch=batch, by=by)
    context.report.created("lounge appointments", batch.rows_added)
