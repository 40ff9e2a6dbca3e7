"""RSVP burst benchmark: 200 members answer "going" at once for a 50-place event.

Run from the repository root (PostgreSQL and Redis as on every Paddock machine):

    .venv/bin/python bench/rsvp_burst_bench.py [--members 200] [--capacity 50] [--threads 40]
        [--in-process client|service] [--gunicorn deploy|bench] [--http-only]   # make bench-rsvp

It builds a scratch database with the demo and the members (bench/stack.py), starts gunicorn with
the production settings as production runs it (site/deploy/gunicorn.conf.py: 2 x cores + 1 sync
workers; ``--gunicorn bench`` for the page bench's 2 workers x 4 threads), a real Celery worker
(below the web workers, as the Procfile runs it; it renders and sends the answer mail from the
outbox) and an SMTP listener, then measures two bursts, one after the other, each on its own new
event with ``--capacity`` places and no guests:

1. over HTTP, as members do: every member has a signed-in session and has opened the event page
   (its CSRF cookie and form token); then all connect at once and POST "going" to the RSVP form
   (connecting when the request is whole, as the proxy in front of gunicorn does), one connection
   each, from one asyncio event loop sending requests built beforehand, so that the client's own
   CPU, on the same cores, stays small;
2. in-process, as tests/events/test_rsvp_concurrency.py does: ``--threads`` threads, released
   together, post the same form with Django's test Client (``--in-process client``) or call
   ``events.services.rsvp_respond`` (``--in-process service``), on the same database and Redis.

For each it prints commits per second three ways: members / (last RSVP row stamped - first request
started), members / (last - first row stamped: the rows' confirmed_at / waitlisted_at, taken under
the event's lock just before commit), and members / (last answer received - first request
started); p50 and p95 of the request latency; where the CPU went during the burst (gunicorn,
PostgreSQL, the Celery worker, Redis, the bench's own client), in all and per RSVP; and checks that exactly ``--capacity`` are confirmed
and the rest waitlisted in order (every place given before anybody was waitlisted, positions 1..n
by waitlisted_at), that every request was answered (a redirect back), and that every member got
exactly one answer mail: one outbox row each (waited for, at most ``--mail-wait`` seconds) and,
once the worker has sent them, one message each at the SMTP listener; it prints how long the
worker took. Exit status 1 if any check fails. Only 127.0.0.1 is contacted; every wait is bounded.

Environment: BENCH_DB, BENCH_REDIS_URL, BENCH_GUNICORN_ARGS (bench/stack.py).
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import re
import statistics
import sys
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from stack import (
    FORWARDED,
    WORKER_NICE,
    Stack,
    cpu_report,
    cpu_seconds,
    load_average,
    member_session,
    percentile,
    start_worker,
    stop_worker,
)

CSRF_COOKIE = re.compile(r"csrftoken=([^;]+)")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BARRIER_TIMEOUT = 60.0
REQUEST_TIMEOUT = 120.0


def create_members(count: int) -> list:
    from allauth.account.models import EmailAddress

    from community.models import Member

    Member.objects.bulk_create(
        Member(email=f"burst{i}@example.com", display_name=f"Burst {i}", handle=f"burst-{i}")
        for i in range(count)
    )
    members = list(Member.objects.filter(email__startswith="burst").order_by("pk"))
    EmailAddress.objects.bulk_create(
        EmailAddress(user=m, email=m.email, verified=True, primary=True) for m in members
    )
    return members


def new_event(title: str, capacity: int):
    from tests.factories import make_event

    return make_event(title, capacity=capacity, guests_allowed=0)


# --- the bursts ----------------------------------------------------------------------------------


class Timings:
    def __init__(self):
        self.lock = threading.Lock()
        self.started: list[float] = []  # wall clock (time.time), to compare with the rows' stamps
        self.ended: list[float] = []
        self.latencies: list[float] = []  # ms
        self.statuses: Counter = Counter()
        self.cpu: tuple[dict, dict] | None = None  # cpu_seconds() when released and when done

    def record(self, began: float, ended: float, status: int | str) -> None:
        with self.lock:
            self.started.append(began)
            self.ended.append(ended)
            self.latencies.append((ended - began) * 1000)
            self.statuses[status] += 1


def http_burst(stack: Stack, event, members: list, *, prepare_threads: int = 4) -> Timings:
    """Every member opens the event page (session and CSRF), then all POST "going" at once."""
    port, host = stack.port, f"127.0.0.1:{stack.port}"
    sessions = {m.pk: member_session(m) for m in members}

    def open_page(member) -> tuple[str, str]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        conn.request(
            "GET",
            event.url,
            headers={"Host": host, "Cookie": f"sessionid={sessions[member.pk]}", **FORWARDED},
        )
        response = conn.getresponse()
        body = response.read().decode()
        conn.close()
        cookie = CSRF_COOKIE.search(response.getheader("Set-Cookie") or "")
        field = CSRF_FIELD.search(body)
        if response.status != 200 or not cookie or not field:
            raise SystemExit(
                f"{member.email}: the event page gave no CSRF token ({response.status})"
            )
        return cookie.group(1), field.group(1)

    with ThreadPoolExecutor(max_workers=prepare_threads) as pool:
        tokens = dict(zip([m.pk for m in members], pool.map(open_page, members), strict=True))

    # Each member's request, built before the burst: the client does as little as it can while
    # the burst runs, so that its CPU is not the thing measured (it shares the machine's cores).
    path = f"/events/{event.pk}/rsvp/"
    requests = []
    for member in members:
        body = urllib.parse.urlencode(
            {"answer": "going", "csrfmiddlewaretoken": tokens[member.pk][1]}
        ).encode()
        headers = {
            "Host": host,
            "Cookie": f"sessionid={sessions[member.pk]}; csrftoken={tokens[member.pk][0]}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": str(len(body)),
            "Origin": stack.origin,
            "Referer": stack.origin + event.url,
            "Connection": "close",
            **FORWARDED,
        }
        head = f"POST {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        requests.append(head.encode() + b"\r\n" + body)

    timings = Timings()

    async def post(request: bytes) -> None:
        # Connected once released, as the proxy in front of gunicorn connects when it holds a
        # whole request (a connection opened early and left idle would hold a sync worker).
        began = time.time()
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", port), REQUEST_TIMEOUT
            )
            writer.write(request)
            status_line = await asyncio.wait_for(reader.readline(), REQUEST_TIMEOUT)
            await asyncio.wait_for(reader.read(), REQUEST_TIMEOUT)  # the rest, until closed
            writer.close()
            status: int | str = int(status_line.split()[1])
        except (OSError, TimeoutError, IndexError, ValueError) as error:
            status = type(error).__name__
        timings.record(began, time.time(), status)

    async def burst() -> None:
        await asyncio.gather(*(post(request) for request in requests))

    cpu_before = cpu_seconds()
    asyncio.run(burst())  # every member's request starts at once
    timings.cpu = (cpu_before, cpu_seconds())
    return timings


def in_process_burst(stack: Stack, event, members: list, *, threads: int, mode: str) -> Timings:
    """``threads`` threads, released together, each answering for members in turn."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from events import services

    clients = {}
    if mode == "client":
        handler = None
        for member in members:
            client = Client(HTTP_HOST=f"127.0.0.1:{stack.port}")
            # One handler (its middleware loaded once: WhiteNoise reads every static file's
            # name) for all the clients, as a server's threads share one WSGI application.
            handler = client.handler = handler or client.handler
            client.force_login(member)
            clients[member.pk] = client
    connection.close()
    path = reverse("events:rsvp", args=[event.pk])
    timings = Timings()
    queue = iter(members)
    queue_lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def worker() -> None:
        try:
            barrier.wait(timeout=BARRIER_TIMEOUT)
        except threading.BrokenBarrierError:
            pass
        try:
            while True:
                with queue_lock:
                    member = next(queue, None)
                if member is None:
                    return
                began = time.time()
                try:
                    if mode == "client":
                        status = clients[member.pk].post(path, {"answer": "going"}, secure=True)
                        status = status.status_code
                    else:
                        services.rsvp_respond(event=event, member=member, answer="going")
                        status = 302  # as the view answers
                except Exception as error:  # counted, not hidden
                    status = type(error).__name__
                timings.record(began, time.time(), status)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    cpu_before = cpu_seconds()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=BARRIER_TIMEOUT + REQUEST_TIMEOUT * len(members) / threads + 30)
    timings.cpu = (cpu_before, cpu_seconds())
    return timings


# --- checking and reporting ------------------------------------------------------------------------


def check_places(event, members: list, capacity: int) -> tuple[list[str], list[datetime]]:
    from events import services
    from events.models import Rsvp

    problems = []
    rows = list(Rsvp.objects.filter(event=event))
    confirmed = [r for r in rows if r.state == Rsvp.State.CONFIRMED]
    waitlisted = [r for r in rows if r.state == Rsvp.State.WAITLISTED]
    expected = (min(capacity, len(members)), max(0, len(members) - capacity))
    if (len(confirmed), len(waitlisted)) != expected or len(rows) != len(members):
        problems.append(
            f"{len(confirmed)} confirmed and {len(waitlisted)} waitlisted of {len(rows)} RSVPs "
            f"(expected {expected[0]} and {expected[1]} of {len(members)})"
        )
    if confirmed and waitlisted:
        last_confirmed = max(r.confirmed_at for r in confirmed)
        first_waitlisted = min(r.waitlisted_at for r in waitlisted)
        if last_confirmed > first_waitlisted:
            problems.append("somebody was waitlisted before the last place was given")
    ordered = sorted(waitlisted, key=lambda r: (r.waitlisted_at, r.pk))
    positions = [services.waitlist_position(rsvp=r) for r in ordered]
    if positions != list(range(1, len(ordered) + 1)):
        problems.append("the waitlist positions are not 1..n in the order members joined it")
    stamps = [r.confirmed_at if r.state == Rsvp.State.CONFIRMED else r.waitlisted_at for r in rows]
    return problems, [s for s in stamps if s is not None]


def wait_for_mail(
    members: list, since: datetime, smtp, seen: int, seconds: float, burst_ended: float
):
    """Bounded wait until every member has one outbox row since ``since``, sent, and one message
    at the SMTP listener after its first ``seen``; returns (problems, seconds after the burst until
    every row existed, and until every message was received)."""
    from community.models import OutboundEmail

    emails = {m.pk: m.email for m in members}
    ids = list(emails)
    deadline = time.monotonic() + seconds
    rows_done = received_done = None
    while True:
        rows = list(
            OutboundEmail.objects.filter(member__in=ids, created_at__gte=since).values_list(
                "member_id", "status"
            )
        )
        per_member = Counter(member_id for member_id, _ in rows)
        if rows_done is None and len(per_member) == len(emails):
            rows_done = time.time() - burst_ended
        arrived = Counter(
            to
            for message in smtp.messages[seen:]
            for to in message.envelope_to
            if to in emails.values()
        )
        if received_done is None and len(arrived) == len(emails):
            received_done = time.time() - burst_ended
        sent = all(status == OutboundEmail.Status.SENT for _, status in rows)
        if (rows_done is not None and received_done is not None and sent) or (
            time.monotonic() > deadline
        ):
            break
        time.sleep(0.25)
    time.sleep(1.0)  # anything sent twice would show by now
    rows = list(
        OutboundEmail.objects.filter(member__in=ids, created_at__gte=since).values_list(
            "member_id", "status"
        )
    )
    per_member = Counter(member_id for member_id, _ in rows)
    arrived = Counter(
        to
        for message in smtp.messages[seen:]
        for to in message.envelope_to
        if to in emails.values()
    )
    problems = []
    missing = [pk for pk in emails if per_member[pk] == 0]
    twice = [pk for pk in emails if per_member[pk] > 1]
    if missing or twice:
        problems.append(
            f"answer mail in the outbox: {len(missing)} members have none, {len(twice)} more than one"
        )
    unsent = Counter(status for _, status in rows if status != OutboundEmail.Status.SENT)
    if unsent:
        problems.append(
            f"outbox rows not sent after {seconds:.0f} s: {dict(unsent)} (a send task that failed, "
            "e.g. PostgreSQL out of connections, leaves its row queued for outbox_flush, which "
            "Celery beat runs every minute in production: this bench runs no beat)"
        )
    not_arrived = [e for e in emails.values() if arrived[e] == 0]
    arrived_twice = [e for e in emails.values() if arrived[e] > 1]
    if not_arrived or arrived_twice:
        problems.append(
            f"at the SMTP listener: {len(not_arrived)} members got no mail, "
            f"{len(arrived_twice)} more than one"
        )
    return problems, rows_done, received_done


def report(title: str, timings: Timings, stamps: list[datetime], members: int) -> None:
    first_start = min(timings.started)
    last_end = max(timings.ended)
    seconds = sorted(s.timestamp() for s in stamps)
    print(f"\n{title}")
    print(f"  answers: {dict(timings.statuses)}")
    if seconds:
        to_last = seconds[-1] - first_start
        between = seconds[-1] - seconds[0]
        print(
            f"  first request -> last RSVP committed: {to_last:.3f} s = "
            f"{members / to_last if to_last > 0 else float('nan'):.1f} commits/s"
        )
        print(
            f"  first -> last RSVP committed (rows):  {between:.3f} s = "
            f"{members / between if between > 0 else float('nan'):.1f} commits/s"
        )
    span = last_end - first_start
    print(
        f"  first request -> last answer:         {span:.3f} s = "
        f"{members / span if span > 0 else float('nan'):.1f} requests/s"
    )
    print(
        f"  request latency: p50 {statistics.median(timings.latencies):.0f} ms, "
        f"p95 {percentile(timings.latencies, 0.95):.0f} ms, max {max(timings.latencies):.0f} ms"
    )
    if timings.cpu:
        print("  " + cpu_report(*timings.cpu, per=members, what="RSVP"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--capacity", type=int, default=50)
    parser.add_argument("--threads", type=int, default=40, help="in-process threads")
    parser.add_argument("--in-process", choices=["client", "service"], default="client")
    parser.add_argument("--mail-wait", type=float, default=180.0, help="seconds, at most")
    parser.add_argument(
        "--gunicorn",
        choices=["deploy", "bench"],
        default="deploy",
        help="deploy: site/deploy/gunicorn.conf.py as production runs it (default); "
        "bench: the page bench's 2 workers x 4 threads",
    )
    parser.add_argument("--http-only", action="store_true", help="skip the in-process burst")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows when piped to a file
    members_count = max(1, min(args.members, 2000))

    print(f"Start: {load_average()}")
    stack = Stack(db_name="paddock_rsvp_bench", smtp=True)
    worker = None
    problems: dict[str, list[str]] = {}
    print("Preparing a scratch database with the demo (migrate, seed_demo, collectstatic)...")
    try:
        stack.prepare()
        stack.django()
        from django.utils import timezone

        members = create_members(members_count)
        worker = start_worker(stack.env, concurrency=2, quiet=True)
        stack.start_gunicorn(deploy_config=args.gunicorn == "deploy")
        served_by = (
            f"site/deploy/gunicorn.conf.py ({2 * (os.cpu_count() or 1) + 1} sync workers unless "
            "WEB_CONCURRENCY says otherwise)"
            if args.gunicorn == "deploy"
            else f"{stack.workers} workers (gthread x4)"
        )
        print(
            f"gunicorn: production settings, {served_by}; a Celery worker (concurrency 2, "
            f"nice {WORKER_NICE}) sends the outbox to a local SMTP listener. {members_count} "
            f"members, {args.capacity} places, no guests."
        )

        bursts = (
            (
                f"1. Over HTTP: {members_count} signed-in members at once, one connection each",
                lambda event: http_burst(stack, event, members),
            ),
            (
                f"2. In-process: {args.threads} threads "
                + (
                    "posting with Django's test Client"
                    if args.in_process == "client"
                    else "calling events.services.rsvp_respond"
                ),
                lambda event: in_process_burst(
                    stack, event, members, threads=args.threads, mode=args.in_process
                ),
            ),
        )
        for number, (title, run) in enumerate(bursts[:1] if args.http_only else bursts, start=1):
            event = new_event(f"Burst {number}: Cars & Coffee", args.capacity)
            since = timezone.now()
            seen = len(stack.smtp.messages)
            print(f"\n({load_average()} before burst {number})")
            timings = run(event)
            burst_ended = max(timings.ended)
            found, stamps = check_places(event, members, args.capacity)
            if set(timings.statuses) != {302}:
                found.append(
                    f"not every request was answered with a redirect: {dict(timings.statuses)}"
                )
            report(title, timings, stamps, members_count)
            mail_problems, rows_after, received_after = wait_for_mail(
                members, since, stack.smtp, seen, args.mail_wait, burst_ended
            )
            found += mail_problems
            print(
                "  answer mail: every member's outbox row "
                + (f"within {rows_after:.1f} s" if rows_after is not None else "NOT all there")
                + ", all received by the SMTP listener "
                + (f"{received_after:.1f} s" if received_after is not None else "NOT")
                + " after the last answer"
            )
            print("  correctness: " + ("ok" if not found else "FAILED"))
            for problem in found:
                print(f"    - {problem}")
            problems[title] = found
        print(f"\nEnd: {load_average()}")
    finally:
        stop_worker(worker)
        stack.stop()
    return 1 if any(problems.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
