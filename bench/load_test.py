"""Load test: 50 members browse, post and RSVP for 5 minutes; nothing may break or get lost.

Run from the repository root (PostgreSQL and Redis as on every Paddock machine):

    .venv/bin/python bench/load_test.py [--duration 300] [--members 50]   # or: make load-test

It builds a scratch database with the demo (bench/stack.py) and starts gunicorn (production
settings, 2 workers), a Celery worker that sends the outbox and an SMTP listener that receives it.
Then ``--members`` simulated members, each an asyncio task with its own signed-in session, loop
until ``--duration`` seconds are up: they wait a human pause (``--think``, seconds), then browse
(home, events, an event, a club, the community feed, their events), post a story, or answer an
event; each also RSVPs once to a capped event that fewer than half of them fit into.

At the end it prints p50/p95/max latency per action, the errors (any 5xx fails the run), and
checks that nothing was lost: every member's RSVP in the database is what the site told them
(or a promotion they were mailed about), no event holds more than its capacity, every story
posted exists, and every message written to the outbox was sent and arrived at the SMTP
listener. The exit status is 1 when a check fails. Only 127.0.0.1 is contacted; the run is
bounded by --duration and a cap on requests.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import secrets
import string
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from stack import FORWARDED, Stack, member_session, percentile

MAX_REQUESTS = 200_000
CAPACITY = 20
STATUS = re.compile(r'rsvp__status rsvp__status--(\w+)"')
BROWSE_WEIGHT, RSVP_WEIGHT, POST_WEIGHT = 70, 20, 10


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    other_errors: list[str] = field(default_factory=list)
    told: dict[tuple[int, int], str] = field(default_factory=dict)  # (member, event) -> state
    posts: Counter = field(default_factory=Counter)  # member id -> stories the site accepted
    requests: int = 0


@dataclass
class Plan:
    origin: str
    browse: list[str]
    events: list[tuple[int, str]]  # (id, path) of events open for RSVPs
    capped: tuple[int, str]
    club_id: int


class SimulatedMember:
    def __init__(self, *, pk: int, session: str, plan: Plan, results: Results, rng: random.Random):
        self.pk, self.plan, self.results, self.rng = pk, plan, results, rng
        self.csrf = "".join(rng.choices(string.ascii_letters + string.digits, k=32))
        self.cookie = f"sessionid={session}; csrftoken={self.csrf}"

    def client(self):
        import httpx

        return httpx.AsyncClient(
            base_url=f"http://{self.plan.origin.split('://', 1)[1]}",
            headers={**FORWARDED, "Host": self.plan.origin.split("://", 1)[1]},
            timeout=30.0,
            follow_redirects=False,
            # A new connection per request: a pause longer than gunicorn's keep-alive would
            # otherwise meet a connection the server has just closed.
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    async def request(self, http, kind: str, method: str, path: str, data=None):
        if self.results.requests >= MAX_REQUESTS:
            raise asyncio.CancelledError
        self.results.requests += 1
        headers = {"Cookie": self.cookie}
        if method == "POST":
            headers |= {
                "X-CSRFToken": self.csrf,
                "Origin": self.plan.origin,
                "Referer": self.plan.origin + path,
            }
        began = time.perf_counter()
        try:
            response = await http.request(method, path, data=data, headers=headers)
        except Exception as error:  # connection refused or reset, timeout: counted, not hidden
            self.results.other_errors.append(f"{method} {path}: {type(error).__name__}")
            return None
        finally:
            http.cookies.clear()  # the member's cookies travel in the header above
        self.results.latencies[kind].append((time.perf_counter() - began) * 1000)
        self.results.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.results.server_errors.append(f"{method} {path}: {response.status_code}")
        elif response.status_code not in (200, 302):
            self.results.other_errors.append(f"{method} {path}: {response.status_code}")
        return response

    async def browse(self, http) -> None:
        await self.request(http, "browse", "GET", self.rng.choice(self.plan.browse))

    async def rsvp(self, http, event: tuple[int, str], answer: str) -> None:
        event_id, path = event
        response = await self.request(
            http, "rsvp", "POST", f"/events/{event_id}/rsvp/", {"answer": answer}
        )
        if response is None or response.status_code != 302:
            return
        page = await self.request(http, "browse", "GET", path)
        if page is not None and page.status_code == 200:
            match = STATUS.search(page.text)
            self.results.told[(self.pk, event_id)] = match.group(1) if match else "none"

    async def post(self, http) -> None:
        form = await self.request(http, "browse", "GET", "/community/new/")
        if form is None or form.status_code != 200:
            return
        club = str(self.plan.club_id) if self.rng.random() < 0.5 else ""
        response = await self.request(
            http,
            "post",
            "POST",
            "/community/new/",
            {
                "kind": "story",
                "club": club,
                "title": f"Load run {secrets.token_hex(3)}",
                "body": "Coast road at dawn, then coffee at the showroom.",
            },
        )
        if response is not None and response.status_code == 302:
            self.results.posts[self.pk] += 1

    async def run(self, deadline: float, think: tuple[float, float]) -> None:
        capped_at = time.monotonic() + self.rng.uniform(0, (deadline - time.monotonic()) * 0.4)
        capped_done = False
        async with self.client() as http:
            while time.monotonic() < deadline:
                await asyncio.sleep(self.rng.uniform(*think))
                if time.monotonic() >= deadline:
                    break
                if not capped_done and time.monotonic() >= capped_at:
                    await self.rsvp(http, self.plan.capped, "going")
                    capped_done = True
                    continue
                roll = self.rng.uniform(0, BROWSE_WEIGHT + RSVP_WEIGHT + POST_WEIGHT)
                if roll < BROWSE_WEIGHT:
                    await self.browse(http)
                elif roll < BROWSE_WEIGHT + RSVP_WEIGHT and self.plan.events:
                    answer = self.rng.choices(["going", "maybe", "not_going"], [6, 2, 2])[0]
                    await self.rsvp(http, self.rng.choice(self.plan.events), answer)
                else:
                    await self.post(http)


# --- setting up ------------------------------------------------------------------------------------


def create_members(count: int) -> list:
    from allauth.account.models import EmailAddress

    from community.models import Member

    members = []
    for n in range(count):
        member = Member.objects.create_user(
            email=f"load{n}@example.com", password=secrets.token_urlsafe(12)
        )
        member.display_name = f"Load Member {n}"
        member.save(update_fields=["display_name"])
        EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
        members.append(member)
    return members


def build_plan(origin: str, members: list) -> Plan:
    from datetime import timedelta

    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from community.models import ClubIndexPage, ClubPage, Membership
    from events.models import EventIndexPage, EventPage
    from events.selectors import events_visible_to

    index = EventIndexPage.objects.live().first()
    start = (timezone.now() + timedelta(days=14)).replace(second=0, microsecond=0)
    capped = EventPage(
        title="Load test: capped track walk",
        slug="load-test-capped",
        start=start,
        end=start + timedelta(hours=2),
        venue_name="Saltmouth Quay",
        capacity=CAPACITY,
        guests_allowed=0,
    )
    index.add_child(instance=capped)
    capped.save_revision().publish()
    club = ClubPage(title="Load test drivers", slug="load-test-drivers", access="open")
    ClubIndexPage.objects.live().first().add_child(instance=club)
    club.save_revision().publish()
    Membership.objects.bulk_create(Membership(club=club, member=m) for m in members)

    visible = events_visible_to(viewer=AnonymousUser()).filter(end__gte=timezone.now())
    open_events = [
        e
        for e in visible.exclude(pk=capped.pk).filter(waiver__isnull=True)
        if e.rsvp_open() and not e.is_track_day and e.audience == EventPage.Audience.PUBLIC
    ]
    browse = ["/", index.url, "/community/", club.url, "/my-events/", capped.url]
    browse += [e.url for e in open_events[:4]]
    browse += [c.url for c in ClubPage.objects.live().filter(access="open")[:3]]
    return Plan(
        origin=origin,
        browse=browse,
        events=[(e.pk, e.url) for e in open_events],
        capped=(capped.pk, capped.url),
        club_id=club.pk,
    )


# --- checking ----------------------------------------------------------------------------------


def wait_for_outbox(seconds: float = 120) -> int:
    from community.models import OutboundEmail

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        queued = OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED).count()
        if not queued:
            return 0
        time.sleep(1)
    return queued


def check(results: Results, members: list, plan: Plan, smtp, started) -> list[str]:
    from community.models import OutboundEmail, Post
    from events.models import EventPage, Rsvp
    from events.services import confirmed_places

    problems = []
    rsvps = {
        (r.member_id, r.event_id): r
        for r in Rsvp.objects.filter(member__in=members).select_related("event")
    }
    mails = set(
        OutboundEmail.objects.filter(member__in=members).values_list("dedupe_key", flat=True)
    )

    def mailed(kind: str, rsvp) -> bool:
        return any(k and k.startswith(f"rsvp-{kind}:{rsvp.pk}:") for k in mails)

    mismatched = 0
    for key, told in results.told.items():
        rsvp = rsvps.get(key)
        state = rsvp.state if rsvp else "none"
        if state == told:
            continue
        if told == "waitlisted" and state == "confirmed" and mailed("promoted", rsvp):
            continue  # promoted after they were told, and mailed about it
        mismatched += 1
    if mismatched:
        problems.append(f"{mismatched} RSVPs differ from what the member was told")
    for rsvp in rsvps.values():
        if rsvp.state == "confirmed" and not (
            mailed("confirmed", rsvp) or mailed("promoted", rsvp)
        ):
            problems.append(f"no confirmation mail for RSVP {rsvp.pk}")
        if rsvp.state == "waitlisted" and not mailed("waitlisted", rsvp):
            problems.append(f"no waitlist mail for RSVP {rsvp.pk}")
    for event in EventPage.objects.exclude(capacity=None):
        if confirmed_places(event=event) > event.capacity:
            problems.append(f"{event.title}: {confirmed_places(event=event)} > {event.capacity}")
    accepted = sum(results.posts.values())
    stored = Post.objects.filter(author__in=members, created_at__gte=started).count()
    if stored != accepted:
        problems.append(f"{accepted} stories accepted but {stored} stored")
    outbox = OutboundEmail.objects.filter(created_at__gte=started)
    unsent = outbox.exclude(status=OutboundEmail.Status.SENT).count()
    if unsent:
        problems.append(f"{unsent} outbox messages not sent")
    sent = Counter(outbox.filter(status="sent").values_list("to", "subject"))
    arrived = Counter((m.envelope_to[0], m.subject) for m in smtp.messages)
    if sent != arrived:
        problems.append(
            f"{sum(sent.values())} messages sent but {sum(arrived.values())} arrived, "
            f"{sum((sent - arrived).values())} missing"
        )
    return problems


def report(results: Results, seconds: float, capped_id: int, members: list, smtp) -> None:
    from community.models import OutboundEmail
    from events.models import Rsvp
    from events.services import confirmed_places

    print(f"\n{len(members)} members for {seconds:.0f} s: {results.requests} requests")
    print(f"{'action':<10}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    everything = []
    for kind in ("browse", "rsvp", "post"):
        values = results.latencies.get(kind, [])
        everything += values
        print(
            f"{kind:<10}{len(values):>8}{percentile(values, 0.5):>9.0f}"
            f"{percentile(values, 0.95):>9.0f}{max(values, default=float('nan')):>9.0f}"
        )
    print(
        f"{'all':<10}{len(everything):>8}{percentile(everything, 0.5):>9.0f}"
        f"{percentile(everything, 0.95):>9.0f}{max(everything, default=float('nan')):>9.0f}"
    )
    print(f"HTTP statuses: {dict(sorted(results.statuses.items()))}")
    print(f"Server errors (5xx): {len(results.server_errors)} {results.server_errors[:5]}")
    print(f"Other errors: {len(results.other_errors)} {results.other_errors[:5]}")
    capped = Rsvp.objects.filter(event_id=capped_id)
    print(
        f"Capped event: {CAPACITY} places, {confirmed_places(event=capped.first().event) if capped else 0}"
        f" confirmed, {capped.filter(state='waitlisted').count()} waitlisted"
    )
    print(
        f"RSVPs answered: {len(results.told)}; stories posted: {sum(results.posts.values())}; "
        f"mail written: {OutboundEmail.objects.count()}, arrived: {len(smtp.messages)}"
    )
    return everything


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=300.0, help="seconds (default 300)")
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--think", default="2,6", help="pause between actions: min,max seconds")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    think = tuple(float(x) for x in args.think.split(","))

    stack = Stack(db_name="paddock_load_test", smtp=True)
    print("Preparing a scratch database with the demo (migrate, seed_demo, collectstatic)...")
    try:
        stack.prepare()
        stack.django()
        from django.utils import timezone

        members = create_members(args.members)
        sessions = [member_session(m) for m in members]
        stack.start_gunicorn()
        stack.start_celery()
        plan = build_plan(stack.origin, members)
        print(
            f"gunicorn (production settings, {stack.workers} workers) + Celery worker + SMTP "
            f"listener on 127.0.0.1; {len(plan.events)} open events, capped event of {CAPACITY}."
        )
        results = Results()
        rng = random.Random(args.seed)
        started = timezone.now()
        began = time.monotonic()
        deadline = began + args.duration

        async def swarm():
            members_ = [
                SimulatedMember(
                    pk=m.pk, session=s, plan=plan, results=results, rng=random.Random(rng.random())
                )
                for m, s in zip(members, sessions, strict=True)
            ]
            await asyncio.gather(*(m.run(deadline, think) for m in members_))

        asyncio.run(swarm())
        elapsed = time.monotonic() - began
        still_queued = wait_for_outbox()
        everything = report(results, elapsed, plan.capped[0], members, stack.smtp)
        problems = check(results, members, plan, stack.smtp, started)
        if still_queued:
            problems.append(f"{still_queued} messages still queued after 120 s")
        if results.server_errors:
            problems.append(f"{len(results.server_errors)} server errors")
        p95 = percentile(everything, 0.95)
        print(f"\np95 over all requests: {p95:.0f} ms (target < 800 ms)")
        if p95 >= 800:
            problems.append(f"p95 {p95:.0f} ms is not under 800 ms")
        if problems:
            print("FAILED:\n  - " + "\n  - ".join(problems))
            return 1
        print(
            "OK: 0 server errors; every RSVP is what its member was told; capacity held; "
            "every story stored; every mail written, sent and received."
        )
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
