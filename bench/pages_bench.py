"""Page benchmark: Paddock's pages against a static copy of the same HTML, under the same gunicorn.

Run from the repository root (PostgreSQL and Redis as on every Paddock machine):

    .venv/bin/python bench/pages_bench.py [--requests 300] [--clients 4]     # or: make bench-pages

It builds a scratch database with the demo (bench/stack.py), starts gunicorn with the production
settings (DEBUG off, PostgreSQL, Redis cache, 2 workers), saves each page's HTML as a static file
that WhiteNoise serves from the same gunicorn, and then requests each page ``--requests`` times
from ``--clients`` threads: the static copy, the page as a visitor sees it (the page cache), and
the page as a signed-in member sees it (rendered every time). It prints median and p95 latency,
requests per second, and the ratio of each to the static copy's median. Only 127.0.0.1 is
contacted; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import threading
import time

from stack import FORWARDED, Stack, member_session, percentile

PAGES = ["home", "event listing", "event page", "club page", "community feed"]
TIME_LIMIT = 30.0  # seconds per measurement, whatever --requests says


def page_paths() -> dict[str, str]:
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from community.models import ClubPage
    from events.models import EventIndexPage, EventPage
    from events.selectors import events_visible_to

    event = (
        events_visible_to(viewer=AnonymousUser())
        .filter(end__gte=timezone.now())
        .order_by("start")
        .first()
    )
    club = (
        ClubPage.objects.live()
        .filter(access=ClubPage.Access.OPEN)
        .order_by("-posts__created_at")
        .first()
    )
    assert isinstance(event, EventPage) and club is not None, "the demo has no event or club"
    return {
        "home": "/",
        "event listing": EventIndexPage.objects.live().first().url,
        "event page": event.url,
        "club page": club.url,
        "community feed": "/community/",
    }


def fetch(port: int, path: str, cookie: str = "") -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": f"127.0.0.1:{port}", **FORWARDED}
    if cookie:
        headers["Cookie"] = cookie
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body, dict(response.getheaders())


def measure(port: int, path: str, *, requests: int, clients: int, cookie: str = "") -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + TIME_LIMIT

    def client():
        nonlocal errors
        while time.monotonic() < deadline:
            with lock:
                if len(latencies) + errors >= requests:
                    return
            began = time.perf_counter()
            try:
                status, _, _ = fetch(port, path, cookie)
            except OSError:
                status = 0
            elapsed = time.perf_counter() - began
            with lock:
                if status == 200:
                    latencies.append(elapsed * 1000)
                else:
                    errors += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "median": statistics.median(latencies) if latencies else float("nan"),
        "p95": percentile(latencies, 0.95),
        "rps": len(latencies) / wall,
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per page and mode")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients")
    args = parser.parse_args()

    stack = Stack(db_name="paddock_pages_bench")
    print("Preparing a scratch database with the demo (migrate, seed_demo, collectstatic)...")
    try:
        stack.prepare()
        stack.django()
        from community.models import Member

        paths = page_paths()
        member = Member.objects.get(email="member@paddock.localhost")
        cookie = f"sessionid={member_session(member)}"
        stack.start_gunicorn()
        copies = stack.static_root / "bench-copy"
        copies.mkdir(parents=True, exist_ok=True)
        for name, path in paths.items():
            status, body, _ = fetch(stack.port, path)
            assert status == 200, (path, status)
            (copies / f"{name.replace(' ', '-')}.html").write_bytes(body)
        stack.restart_gunicorn()  # WhiteNoise lists static files when a worker starts
        print(
            f"\ngunicorn: production settings, {stack.workers} workers (gthread x4); "
            f"{args.clients} clients, {args.requests} requests per row. Times in ms."
        )
        print(
            f"{'page':<16}{'as':<9}{'median':>8}{'p95':>8}{'req/s':>8}{'errors':>7}{'x static':>10}"
        )
        for name in PAGES:
            path = paths[name]
            static = measure(
                stack.port,
                f"/static/bench-copy/{name.replace(' ', '-')}.html",
                requests=args.requests,
                clients=args.clients,
            )
            fetch(stack.port, path)  # the visitor's copy goes into the page cache
            visitor = measure(stack.port, path, requests=args.requests, clients=args.clients)
            signed_in = measure(
                stack.port, path, requests=args.requests, clients=args.clients, cookie=cookie
            )
            for label, row in (("static", static), ("visitor", visitor), ("member", signed_in)):
                ratio = row["median"] / static["median"] if static["median"] else float("nan")
                print(
                    f"{name if label == 'static' else '':<16}{label:<9}{row['median']:>8.1f}"
                    f"{row['p95']:>8.1f}{row['rps']:>8.1f}{row['errors']:>7}{ratio:>9.1f}x"
                )
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
