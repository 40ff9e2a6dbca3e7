"""Demo data for the staff tools: advisors, phone numbers and today's service appointments."""

import random
from io import BytesIO

from django.utils import timezone

from community.demo import DemoContext
from community.models import Appointment, Member
from staff import lounge

ADVISORS = ["sales@paddock.localhost", "staff@paddock.localhost"]
WORK = [
    "Annual service and MOT",
    "Brake fluid change",
    "Front tyres (2) and alignment",
    "Software update and health check",
    "Winter check: battery, wipers, lights",
    "Warranty: rattle in the dashboard",
    "Air-con regas",
]
NOT_MEMBERS = [
    ("Gareth Lloyd", "gareth.lloyd@example.net", "WK19 ABX"),
    ("Priya Natarajan", "07700 900871", "WJ67 KLM"),
]


def seed_staff_tools(context: DemoContext) -> None:
    """Give members a phone and an advisor (only where none is set), and put today's service
    appointments in the lounge, imported through the same upload staff use."""
    rng = random.Random("paddock-staff-tools")
    advisors = [context.members[e] for e in ADVISORS if e in context.members]
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
    chosen = rng.sample(owners, min(8, len(owners)))
    for n, member in enumerate(chosen):
        car = member.cars.first()
        # Recognised three ways, as a workshop export mixes them.
        contact = member.email if n % 3 == 0 else (member.phone if n % 3 == 1 else "")
        plate = car.registration if car else ""
        lines.append(
            f"{8 + n // 2:02d}:{30 * (n % 2):02d};{member.display_name};{contact};{plate};{rng.choice(WORK)}"
        )
    for n, (name, contact, plate) in enumerate(NOT_MEMBERS):
        lines.append(f"{13 + n}:15;{name};{contact};{plate};{rng.choice(WORK)}")
    upload = BytesIO("\n".join(lines).encode())
    upload.name = f"workshop-{today:%Y-%m-%d}.csv"
    by = Member.objects.filter(email=ADVISORS[-1]).first()
    batch, _ = lounge.lounge_import_prepare(upload=upload, day=today, by=by)
    batch = lounge.lounge_import_confirm(batch=batch, by=by)
    context.report.created("lounge appointments", batch.rows_added)
