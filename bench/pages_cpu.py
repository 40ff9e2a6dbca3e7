"""CPU per request of each member page kind: what a gunicorn worker spends serving one member.

Run from the repository root (PostgreSQL and Redis as on every Paddock machine):

    .venv/bin/python bench/pages_cpu.py [--requests 200] [--pages "event page,club page"]
                                        [--reuse] [--profile "event page"]

Wall-clock rates move with whatever else the machine runs; the CPU time one process spends per
request hardly does. So this builds the same scratch database as ``pages_bench.py`` (the demo, the
production settings, Redis as the cache), then serves each page kind in this very process through
Django's WSGI handler (as gunicorn's worker calls it: the member's session cookie, the forwarded
HTTPS header), warm (a few requests first, so the member's audience's shared body is cached),
and prints the CPU milliseconds (``time.process_time``, user + system of this process) per request,
the median wall time, and the queries per request. PostgreSQL's and Redis's own CPU is not
counted (they run elsewhere): the page's queries are shown beside it.

``--reuse`` keeps the scratch database between runs (it is prepared only when missing, and not
dropped at the end): for measuring one change after another. ``--profile KIND`` prints cProfile's
top functions (cumulative) for that page kind instead of timing them all.

Environment: BENCH_DB (default ``paddock_pages_cpu``), BENCH_REDIS_URL (bench/stack.py).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

from pages_bench import KINDS, MEMBER_EMAIL, page_paths
from stack import (
    FORWARDED,
    ROOT,
    Stack,
    drop_database,
    load_average,
    member_session,
    scratch_database,
)


def database_ready(name: str) -> bool:
    """Whether ``name`` exists with the demo in it (a member to sign in)."""
    import psycopg

    try:
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{name}") as conn:
            row = conn.execute(
                "SELECT 1 FROM community_member WHERE email = %s", [MEMBER_EMAIL]
            ).fetchone()
            return row is not None
    except psycopg.Error:
        return False


class Server:
    """Paddock's WSGI application, called in this process as gunicorn's worker calls it."""

    def __init__(self, port: int, cookie: str):
        from django.test.client import RequestFactory

        from paddock.wsgi import application

        self.application = application
        self.factory = RequestFactory()
        self.headers = {
            "HTTP_HOST": f"127.0.0.1:{port}",
            "HTTP_COOKIE": cookie,
            **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in FORWARDED.items()},
        }

    def get(self, path: str) -> int:
        environ = self.factory._base_environ(
            PATH_INFO=path, REQUEST_METHOD="GET", QUERY_STRING="", **self.headers
        )
        status = []
        body = self.application(environ, lambda s, h, exc_info=None: status.append(s))
        try:
            for _chunk in body:
                pass
        finally:
            if hasattr(body, "close"):
                body.close()
        return int(status[0].split()[0])


def measure(server: Server, path: str, requests: int) -> dict:
    from django.db import connection

    for _ in range(5):  # warm: the audience's shared body, the process's memos
        assert server.get(path) == 200, path
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):  # every statement, the compiled ones too
        server.get(path)
    walls = []
    cpu_started = time.process_time()
    for _ in range(requests):
        began = time.perf_counter()
        server.get(path)
        walls.append((time.perf_counter() - began) * 1000)
    cpu = (time.process_time() - cpu_started) * 1000 / requests
    return {"cpu": cpu, "wall": statistics.median(walls), "queries": len(queries)}


def profile(server: Server, path: str, requests: int) -> None:
    for _ in range(5):
        server.get(path)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(requests):
        server.get(path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(70)
    stats.sort_stats("tottime").print_stats(40)
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page kind")
    parser.add_argument("--pages", help="comma-separated page kinds (default: every member page)")
    parser.add_argument("--reuse", action="store_true", help="keep the scratch database")
    parser.add_argument("--profile", metavar="KIND", help="cProfile this page kind instead")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    kinds = [k.strip() for k in args.pages.split(",")] if args.pages else list(KINDS)
    if args.profile:
        kinds = [args.profile]
    unknown = set(kinds) - set(KINDS)
    if unknown:
        parser.error(
            f"unknown page kinds: {', '.join(sorted(unknown))} (known: {', '.join(KINDS)})"
        )
    requests = max(1, min(args.requests, 5000))

    print(f"Start: {load_average()}")
    stack = Stack(db_name="paddock_pages_cpu")
    if args.reuse:  # the demo's media with the database that points at it
        kept = ROOT / "var" / "bench" / "pages_cpu"
        kept.mkdir(parents=True, exist_ok=True)
        for name, folder in (
            ("MEDIA_ROOT", "media"),
            ("PADDOCK_PHOTO_ROOT", "photos"),
            ("STATIC_ROOT", "static"),
        ):
            stack.env[name] = str(kept / folder)
    try:
        if not (args.reuse and database_ready(stack.db_name)):
            print("Preparing a scratch database with the demo (migrate, seed_demo)...")
            scratch_database(stack.db_name)
            stack.manage("migrate", "--no-input", "-v", "0")
            stack.manage("seed_demo", "--allow-production", "-v", "0")
        if not (Path(stack.env["STATIC_ROOT"]) / "staticfiles.json").exists():
            stack.manage("collectstatic", "--no-input", "-v", "0")
        stack.django()
        from community.models import Member

        paths = {kind: path for kind, path in page_paths().items() if kind in kinds}
        member = Member.objects.get(email=MEMBER_EMAIL)
        server = Server(stack.port, f"sessionid={member_session(member)}")
        if args.profile:
            profile(server, paths[args.profile], requests)
            return
        print(f"\nA signed-in member, warm, {requests} requests per page kind, in-process:")
        print(f"{'page kind':<19}{'CPU ms/req':>11}{'wall ms':>9}{'queries':>9}  path")
        for kind, path in paths.items():
            result = measure(server, path, requests)
            print(
                f"{kind:<19}{result['cpu']:>11.1f}{result['wall']:>9.1f}{result['queries']:>9}"
                f"  {path}"
            )
        print(f"\nEnd: {load_average()}")
    finally:
        if not args.reuse:
            drop_database(stack.db_name)
        import shutil

        shutil.rmtree(stack.scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
