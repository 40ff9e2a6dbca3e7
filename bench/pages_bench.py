"""Page benchmark: every kind of Paddock page against a reference, interleaved, in one run.

Run from the repository root (PostgreSQL and Redis as on every Paddock machine):

    .venv/bin/python bench/pages_bench.py [--rounds 5] [--slice 2] [--clients 4]
                                          [--bakerydemo PATH | --no-bakerydemo]   # make bench-pages

It builds a scratch database with the demo (bench/stack.py) and starts gunicorn with the
production settings (DEBUG off, PostgreSQL, Redis cache and page cache, 2 workers x 4 threads).
Each kind of page (home, event listing, event page, club listing, club page, community feed,
accessory listing, accessory page, story page, member profile, and a member's own garage and
"my events") is measured from ``--clients`` threads, a new connection per request, against its
reference:

- as a visitor (no session: the page cache) against a static copy of the same HTML that WhiteNoise
  serves from the same gunicorn (goal: at least 0.5x the static copy's requests per second);
- as a signed-in member (rendered on every request) against Wagtail's bakerydemo's comparable page,
  served beside Paddock by a gunicorn with the same settings on PostgreSQL, its production settings
  and demo data, rendered on every request too (bench/bakerydemo.py; goal: at least 2x).

The measurements are interleaved so that load drift hits both sides alike: for each round, for
each page kind, the reference for a slice of ``--slice`` seconds (at most ``--requests``
requests), then Paddock. It prints the medians over rounds: requests per second of each row, the
ratio of Paddock's row to its reference's (the median of the rounds' ratios), median and p95
latency over all rounds, errors (anything but 200), the number of queries a member's page runs
(rendered once in-process, under CaptureQueriesContext), and the load average at start and end.

bakerydemo's source is taken from ``--bakerydemo`` or ``BAKERYDEMO_GIT`` (a bare git mirror or a
checkout; default /work/.mirror/wagtail+bakerydemo/repo). Without it (or with ``--no-bakerydemo``)
the member pages are compared with a bare Wagtail page instead: a plain ``wagtailcore.Page``
added to the scratch database and rendered by Paddock's gunicorn with Wagtail's own trivial
template (no model is added to Paddock); the output says which reference was used. Only 127.0.0.1
is contacted; every loop is bounded in count and time.

Environment: BENCH_DB, BENCH_REDIS_URL, BENCH_GUNICORN_ARGS (bench/stack.py), BENCH_BAKERY_DB
(bakerydemo's scratch database), BAKERYDEMO_GIT.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time

from stack import FORWARDED, THREADS, Stack, load_average, member_session, percentile

# Page kinds in the order measured; True: visitors see it too (page cache), False: members only.
KINDS = {
    "home": True,
    "event listing": True,
    "event page": True,
    "club listing": True,
    "club page": True,
    "community feed": True,
    "accessory listing": True,
    "accessory page": True,
    "story page": True,
    "member profile": True,
    "garage": False,
    "my events": False,
}
MEMBER_EMAIL = "member@paddock.localhost"
BARE_PAGE_SLUG = "bench-bare-wagtail-page"
VISITOR_GOAL, MEMBER_GOAL = 0.5, 2.0
MAX_ROUNDS, MAX_SLICE = 50, 30.0


def page_paths() -> dict[str, str]:
    """A path of each kind in the demo, chosen as a visitor would find them."""
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count, Q
    from django.urls import reverse
    from django.utils import timezone

    from accessories.models import AccessoryIndexPage, AccessoryPage
    from community import selectors
    from community.models import ClubIndexPage, ClubPage, Member
    from events.models import EventIndexPage, EventPage
    from events.selectors import events_visible_to

    visitor = AnonymousUser()
    event = (
        events_visible_to(viewer=visitor).filter(end__gte=timezone.now()).order_by("start").first()
    )
    club = (
        ClubPage.objects.live()
        .filter(access=ClubPage.Access.OPEN)
        .order_by("-posts__created_at")
        .first()
    )
    post = selectors.visible_posts(viewer=visitor).order_by("-created_at").first()
    author = (
        Member.objects.filter(is_active=True, profile_visibility=Member.Visibility.PUBLIC)
        .exclude(email=MEMBER_EMAIL)
        .annotate(
            stories=Count("posts", filter=Q(posts__in=selectors.visible_posts(viewer=visitor)))
        )
        .order_by("-stories", "pk")
        .first()
    )
    accessory = AccessoryPage.objects.live().public().order_by("path").first()
    assert isinstance(event, EventPage) and club and post and author and accessory, "demo is short"
    return {
        "home": "/",
        "event listing": EventIndexPage.objects.live().first().url,
        "event page": event.url,
        "club listing": ClubIndexPage.objects.live().first().url,
        "club page": club.url,
        "community feed": reverse("community:feed"),
        "accessory listing": AccessoryIndexPage.objects.live().first().url,
        "accessory page": accessory.url,
        "story page": reverse("community:post", args=[post.pk]),
        "member profile": reverse("community:profile", args=[author.handle]),
        "garage": reverse("community:garage"),
        "my events": reverse("events:my_events"),
    }


def add_bare_page() -> str:
    """A plain wagtailcore.Page under the home page (scratch database only): Wagtail renders it
    with its own template, wagtailcore/page.html (a title in a bare HTML document)."""
    from wagtail.models import Page

    from community.models import HomePage

    home = HomePage.objects.live().first()
    page = home.add_child(instance=Page(title="Bench: a bare Wagtail page", slug=BARE_PAGE_SLUG))
    page.save_revision().publish()
    return page.url


def query_counts(port: int, paths: dict[str, str], member) -> dict[str, tuple[int, int | None]]:
    """Queries per page, rendered in this process with the production settings on the stack's
    database and Redis: (as the member, as a visitor on a page-cache hit)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    host = {"HTTP_HOST": f"127.0.0.1:{port}"}
    signed_in, visitor = Client(**host), Client(**host)
    signed_in.force_login(member)
    counts = {}
    for kind, path in paths.items():
        row = []
        for client in (signed_in, visitor) if KINDS[kind] else (signed_in,):
            client.get(path, secure=True)  # warm: the first request fills shared caches
            with CaptureQueriesContext(connection) as queries:
                status = client.get(path, secure=True).status_code
            row.append(len(queries) if status == 200 else None)
        counts[kind] = (row[0], row[1] if len(row) > 1 else None)
    return counts


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


def measure(port: int, path: str, *, seconds: float, requests: int, clients: int, cookie: str = ""):
    """``clients`` threads request ``path`` for ``seconds`` (at most ``requests`` in all)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

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
    return {"rps": len(latencies) / wall, "latencies": latencies, "errors": errors}


class Row:
    """One line of the table, gathered over the rounds."""

    def __init__(self, label: str):
        self.label = label
        self.rps: list[float] = []
        self.latencies: list[float] = []
        self.errors = 0

    def add(self, result: dict) -> None:
        self.rps.append(result["rps"])
        self.latencies += result["latencies"]
        self.errors += result["errors"]

    def median_rps(self) -> float:
        return statistics.median(self.rps) if self.rps else float("nan")

    def cells(self) -> str:
        median = statistics.median(self.latencies) if self.latencies else float("nan")
        return (
            f"{self.median_rps():>9.1f}{median:>9.1f}{percentile(self.latencies, 0.95):>9.1f}"
            f"{self.errors:>7}"
        )


def ratios(ours: Row, reference: Row) -> float:
    """The median over rounds of ours/reference (paired, so drift between rounds cancels)."""
    pairs = [a / b for a, b in zip(ours.rps, reference.rps, strict=False) if b]
    return statistics.median(pairs) if pairs else float("nan")


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return load_average()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (medians)")
    parser.add_argument("--slice", type=float, default=2.0, help="seconds per row and round")
    parser.add_argument(
        "--requests", type=int, default=2000, help="at most this many requests per row and round"
    )
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients")
    parser.add_argument(
        "--bakerydemo",
        default=os.environ.get("BAKERYDEMO_GIT", "/work/.mirror/wagtail+bakerydemo/repo"),
        help="bakerydemo's source: a git mirror or a checkout",
    )
    parser.add_argument(
        "--no-bakerydemo", action="store_true", help="compare members' pages with a bare page"
    )
    parser.add_argument("--pages", help="comma-separated page kinds to measure (default: all)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows when piped to a file
    rounds = max(1, min(args.rounds, MAX_ROUNDS))
    seconds = max(0.2, min(args.slice, MAX_SLICE))
    kinds = [k.strip() for k in args.pages.split(",")] if args.pages else list(KINDS)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        parser.error(
            f"unknown page kinds: {', '.join(sorted(unknown))} (known: {', '.join(KINDS)})"
        )

    load_start = uptime()
    print(f"Start: {load_start}")
    stack = Stack(db_name="paddock_pages_bench")
    bakery = None
    why_not = "--no-bakerydemo given" if args.no_bakerydemo else ""
    print("Preparing a scratch database with the demo (migrate, seed_demo, collectstatic)...")
    try:
        stack.prepare()
        stack.django()
        from community.models import Member

        paths = {kind: path for kind, path in page_paths().items() if kind in kinds}
        bare_path = ""
        try:
            bare_path = add_bare_page()
        except Exception as error:  # then the static copy is the only reference
            print(f"(no bare Wagtail page: {type(error).__name__}: {error})")
        member = Member.objects.get(email=MEMBER_EMAIL)
        cookie = f"sessionid={member_session(member)}"
        stack.start_gunicorn()
        copies = stack.static_root / "bench-copy"
        copies.mkdir(parents=True, exist_ok=True)
        for kind, path in paths.items():
            status, body, _ = fetch(stack.port, path, "" if KINDS[kind] else cookie)
            assert status == 200, (kind, path, status)
            if KINDS[kind]:
                (copies / f"{kind.replace(' ', '-')}.html").write_bytes(body)
        stack.restart_gunicorn()  # WhiteNoise lists static files when a worker starts

        if not args.no_bakerydemo:
            from bakerydemo import Bakerydemo

            print(f"Preparing Wagtail's bakerydemo from {args.bakerydemo}...")
            bakery = Bakerydemo(
                source=args.bakerydemo,
                db_name=os.environ.get("BENCH_BAKERY_DB", "paddock_bakerydemo_bench"),
                redis_url=stack.env["REDIS_URL"],
                workers=stack.workers,
                threads=THREADS,
            )
            try:
                bakery.prepare()
                bakery.start()
            except Exception as error:  # whatever it is, fall back and say why
                why_not = f"{type(error).__name__}: {error}".splitlines()[0]
                bakery.stop()
                bakery = None
        if bakery is None and bare_path:
            status, _, _ = fetch(stack.port, bare_path, cookie)
            if status != 200:
                print(f"(the bare Wagtail page answered {status}: not used)")
                bare_path = ""

        def reference(kind: str) -> tuple[int, str, str, str] | None:
            """(port, path, cookie, label) of the member page's reference, if any."""
            if bakery is not None and kind in bakery.paths:
                return bakery.port, bakery.paths[kind], "", bakery.describe(kind)
            if bakery is None and bare_path:
                return stack.port, bare_path, cookie, f"bare Wagtail page {bare_path} (member)"
            return None

        counts = query_counts(stack.port, paths, member)

        if bakery is not None:
            print(
                f"\nMembers' reference: Wagtail's bakerydemo (commit {bakery.commit[:12]}) on "
                "Python 3.11, Django 5.2, Wagtail 7.4, its production settings (DEBUG off, "
                "Redis cache, WhiteNoise), PostgreSQL, its demo data; same gunicorn settings; "
                "every page rendered per request, as a visitor."
            )
        elif bare_path:
            print(
                f"\nMembers' reference: NOT bakerydemo ({why_not}). Fallback: a bare Wagtail page "
                f"({bare_path}, wagtailcore.Page with Wagtail's own trivial template) rendered by "
                "Paddock's gunicorn for the same signed-in member. The 2x goal is set against "
                "bakerydemo: against this page, read the ratio as an upper bound for Paddock."
            )
        else:
            print(f"\nMembers' reference: none ({why_not}; no bare page either): static only.")
        print(
            "Visitors' reference: a static copy of the same HTML served by WhiteNoise from "
            "Paddock's gunicorn."
        )
        print(
            f"gunicorn: {stack.workers} workers (gthread x{THREADS}) for each server; "
            f"{args.clients} clients, a new connection per request; {rounds} rounds of "
            f"{seconds:g} s (at most {args.requests} requests) per row; times in ms."
        )
        print("\nPage kinds and their references:")
        for kind, path in paths.items():
            ref = reference(kind)
            static = "static copy" if KINDS[kind] else "(members only: no static copy)"
            print(f"  {kind:<18} {path:<44} {static}; {ref[3] if ref else 'no member reference'}")

        rows: dict[str, dict[str, Row]] = {}
        for kind in paths:
            rows[kind] = {"member": Row("Paddock member")}
            if KINDS[kind]:
                rows[kind] |= {"static": Row("static copy"), "visitor": Row("Paddock visitor")}
            if reference(kind):
                rows[kind]["reference"] = Row("bakerydemo" if bakery else "bare Wagtail page")
        bench_started = time.monotonic()
        for number in range(1, rounds + 1):
            for kind, path in paths.items():
                run = dict(seconds=seconds, requests=args.requests, clients=args.clients)
                if KINDS[kind]:
                    static_path = f"/static/bench-copy/{kind.replace(' ', '-')}.html"
                    rows[kind]["static"].add(measure(stack.port, static_path, **run))
                    fetch(stack.port, path)  # into the page cache, untimed
                    rows[kind]["visitor"].add(measure(stack.port, path, **run))
                ref = reference(kind)
                if ref:
                    port, ref_path, ref_cookie, _ = ref
                    rows[kind]["reference"].add(measure(port, ref_path, cookie=ref_cookie, **run))
                rows[kind]["member"].add(measure(stack.port, path, cookie=cookie, **run))
            print(
                f"  round {number}/{rounds} done after {time.monotonic() - bench_started:.0f} s "
                f"({load_average()})"
            )

        header = (
            f"{'':<22}{'req/s':>9}{'median':>9}{'p95':>9}{'errors':>7}  ratio (median of rounds)"
        )
        print(f"\nMedians over {rounds} rounds (req/s: median of the rounds' figures).")
        for kind, path in paths.items():
            ref = reference(kind)
            print(f"\n{kind}: {path}" + (f"  <->  {ref[3]}" if ref else ""))
            print(header)
            group = rows[kind]
            if KINDS[kind]:
                print(f"  {'static copy':<20}{group['static'].cells()}")
                ratio = ratios(group["visitor"], group["static"])
                verdict = "ok" if ratio >= VISITOR_GOAL else "BELOW GOAL"
                print(
                    f"  {'Paddock visitor':<20}{group['visitor'].cells()}  {ratio:.2f}x static "
                    f"(goal >= {VISITOR_GOAL}x: {verdict})"
                )
            member_queries = counts[kind][0]
            queries = f"; {member_queries} queries" if member_queries is not None else ""
            if ref:
                print(f"  {group['reference'].label:<20}{group['reference'].cells()}")
                ratio = ratios(group["member"], group["reference"])
                verdict = "ok" if ratio >= MEMBER_GOAL else "BELOW GOAL"
                goal = (
                    f"(goal >= {MEMBER_GOAL}x: {verdict})"
                    if bakery
                    else "(no goal: not bakerydemo)"
                )
                name = "bakerydemo" if bakery else "bare page"
                print(
                    f"  {'Paddock member':<20}{group['member'].cells()}  {ratio:.2f}x {name} "
                    f"{goal}{queries}"
                )
            else:
                print(f"  {'Paddock member':<20}{group['member'].cells()}  (no reference){queries}")

        ref_name = "bakerydemo" if bakery else ("bare page" if bare_path else "-")
        print(f"\nSummary (req/s, medians over rounds; member reference: {ref_name}):")
        print(
            f"{'page kind':<19}{'static':>8}{'visitor':>9}{'x static':>9}"
            f"{'ref':>8}{'member':>8}{'x ref':>7}{'queries':>9}{'vis q':>6}"
        )
        for kind in paths:
            group = rows[kind]
            member_queries, visitor_queries = counts[kind]
            line = f"{kind:<19}"
            if KINDS[kind]:
                line += (
                    f"{group['static'].median_rps():>8.0f}{group['visitor'].median_rps():>9.0f}"
                    f"{ratios(group['visitor'], group['static']):>8.2f}x"
                )
            else:
                line += f"{'-':>8}{'-':>9}{'-':>9}"
            if "reference" in group:
                line += (
                    f"{group['reference'].median_rps():>8.0f}{group['member'].median_rps():>8.0f}"
                    f"{ratios(group['member'], group['reference']):>6.2f}x"
                )
            else:
                line += f"{'-':>8}{group['member'].median_rps():>8.0f}{'-':>7}"
            line += f"{member_queries if member_queries is not None else '?':>9}"
            line += f"{visitor_queries if visitor_queries is not None else '-':>6}"
            print(line)
        print(
            f"(goals: visitor >= {VISITOR_GOAL}x static; member >= {MEMBER_GOAL}x bakerydemo. "
            "queries: a member's page rendered in-process; vis q: as a visitor, a page-cache hit where cached)"
        )
        print(f"\nStart: {load_start}\nEnd:   {uptime()}")
    finally:
        if bakery is not None:
            bakery.stop()
        stack.stop()


if __name__ == "__main__":
    main()
