"""Events benchmark: RSVP throughput under concurrency, and requests per second under gunicorn.

Run from the repository root (PostgreSQL and Redis as on every Paddock machine):

    .venv/bin/python bench/events_bench.py            # or: make bench

It creates (and drops at the end) the database ``paddock_bench``, seeds the demo, then prints:
- how many RSVPs per second 200 members racing for a 50-place event get through, and that exactly 50
  were confirmed;
- requests per second, p50 and p95 latency of the home page, the event listing and an event page,
  served by gunicorn (2 workers) to 8 concurrent clients for a few seconds each.
Every loop is bounded in count and time, and only 127.0.0.1 is contacted.
"""

import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB_NAME = "paddock_bench"
BASE_ENV = {
    "DJANGO_SETTINGS_MODULE": "paddock.settings.dev",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "LOG_LEVEL": "WARNING",
}
PORT = 8799
CLIENTS = 8
SECONDS_PER_URL = 5
MAX_REQUESTS_PER_URL = 5000


def create_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def drop_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def manage(*args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**os.environ, **BASE_ENV}, check=True
    )


def rsvp_race() -> tuple[float, int, int]:
    import django

    os.environ.update(BASE_ENV)
    django.setup()
    from django.db import connection

    from community.models import Member
    from events import services
    from tests.factories import make_event

    members = [
        Member(email=f"bench{i}@example.com", display_name=f"Bench {i}", handle=f"bench-{i}")
        for i in range(200)
    ]
    Member.objects.bulk_create(members)
    members = list(Member.objects.filter(email__startswith="bench").order_by("pk"))
    event = make_event("Bench Cars & Coffee", capacity=50, guests_allowed=0)

    def one(member):
        try:
            services.rsvp_respond(event=event, member=member, answer="going")
        finally:
            connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=40) as pool:
        list(pool.map(one, members))
    elapsed = time.perf_counter() - started
    return len(members) / elapsed, services.confirmed_places(event=event), event.url


def load(path: str) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS_PER_URL

    def client():
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        while time.monotonic() < deadline:
            with lock:
                if len(latencies) + errors >= MAX_REQUESTS_PER_URL:
                    return
            began = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
            with lock:
                if ok:
                    latencies.append(time.perf_counter() - began)
                else:
                    errors += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else float("nan"),
        "errors": errors,
        "requests": len(latencies),
    }


def wait_for_server() -> None:
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1)
            conn.request("GET", "/", headers={"Host": "127.0.0.1"})
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def main() -> None:
    print("Preparing the paddock_bench database (migrate + demo content)...", flush=True)
    create_database()
    try:
        manage("migrate", "--no-input", "-v", "0")
        manage("seed_demo", "-v", "0")
        manage("collectstatic", "--no-input", "-v", "0")
        rate, confirmed, event_url = rsvp_race()
        print(
            f"\nRSVP race: 200 members, 50 places, 40 at once: {rate:,.0f} RSVPs/s, {confirmed} confirmed"
        )
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "paddock.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**os.environ, **BASE_ENV},
        )
        try:
            wait_for_server()
            print(f"\ngunicorn, 2 workers, {CLIENTS} clients, {SECONDS_PER_URL} s per page:")
            print(f"{'page':<28}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
            for label, path in (
                ("home page", "/"),
                ("event listing", "/events/"),
                ("event page", event_url),
            ):
                result = load(path)
                print(
                    f"{label:<28}{result['rps']:>8.1f}{result['p50']:>9.1f}{result['p95']:>9.1f}{result['errors']:>8}"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database()


if __name__ == "__main__":
    main()
