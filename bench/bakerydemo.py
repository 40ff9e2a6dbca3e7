"""Wagtail's bakerydemo as a reference server for the page benchmark, beside Paddock.

``Bakerydemo.prepare()`` exports the bakerydemo source from a git mirror (``BAKERYDEMO_GIT``,
default ``/work/.mirror/wagtail+bakerydemo/repo``; a checked-out directory with ``manage.py`` works
too) into ``var/bench/bakerydemo/``, makes it a virtualenv of its own there (Python 3.11, Django
5.2, Wagtail 7.4: its requirements ask for Django 6.0, which needs Python 3.12; everything else as
its requirements pin it, from PyPI), and builds a scratch PostgreSQL database with its demo data
(``migrate``, ``load_initial_data``, ``collectstatic``). ``start()`` serves it with the same
gunicorn settings as Paddock (``stack.gunicorn_command``): bakerydemo's production settings (DEBUG
off, no debug toolbar, WhiteNoise with compressed manifest static files, django-redis as its
cache when ``REDIS_URL`` is set, as it ships), with the cache pointed at the bench's Redis database
under a key prefix of its own. Pages are rendered on every request: bakerydemo has no page cache.
``stop()`` ends gunicorn (by process id) and drops the database; the export and the virtualenv
stay for the next run.

When the source or the virtualenv cannot be had, ``prepare()`` raises ``Unavailable`` with the
reason, and the benchmark falls back to its other references.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

from stack import (
    FORWARDED,
    ROOT,
    START_SECONDS,
    Stack,
    drop_database,
    free_port,
    gunicorn_command,
    scratch_database,
)

DEFAULT_GIT = "/work/.mirror/wagtail+bakerydemo/repo"
HOME = ROOT / "var" / "bench" / "bakerydemo"
# bakerydemo's requirements/base.txt and production.txt, with Django 5.2 for Python 3.11 and only
# what its production settings import when no cloud or Elasticsearch variables are set.
REQUIREMENTS = [
    "Django>=5.2,<5.3",
    "wagtail>=7.4,<7.5",
    "wagtail-font-awesome-svg>=1,<2",
    "django-debug-toolbar>=4.2,<5",  # bakerydemo/urls.py imports it (it is not installed as an app)
    "django-extensions>=4.1,<5",
    "django-csp>=3.8,<4",
    "dj-database-url>=3.1.0,<4",
    "python-dotenv>=1.2.1,<2",
    "psycopg[binary]>=3.3.3,<3.4",
    "whitenoise>=6.11.0,<7",
    "django-redis>=6.0.0,<7",
]
SETTINGS = '''\
"""Written by Paddock's bench/bakerydemo.py: bakerydemo's production settings, its Redis cache
on the bench's Redis database under a key prefix of its own."""
import os

from .production import *  # noqa: F403

CACHES = {
    name: {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ["BENCH_REDIS_URL"],
        "KEY_PREFIX": f"{os.environ['BENCH_CACHE_KEY_PREFIX']}-{name}",
        "OPTIONS": redis_options,  # noqa: F405
    }
    for name in ("default", "renditions")
}
'''
# The page of bakerydemo's that each Paddock page kind is compared with: (model, what it is).
PAGES = {
    "home": ("HomePage", "home page"),
    "event listing": ("BlogIndexPage", "blog index"),
    "event page": ("BlogPage", "blog page"),
    "club listing": ("LocationsIndexPage", "locations index"),
    "club page": ("LocationPage", "location page"),
    "community feed": ("RecipeIndexPage", "recipes index"),
    "accessory listing": ("BreadsIndexPage", "breads index"),
    "accessory page": ("BreadPage", "bread page"),
    "story page": ("RecipePage", "recipe page"),
    "member profile": ("StandardPage", "standard page (about)"),
    "garage": ("GalleryPage", "gallery page"),
    "my events": ("BlogIndexPage", "blog index"),
}
FIND_PAGES = """
import http.client
import json
from wagtail.models import Page
found = {}
for page in Page.objects.live().specific().order_by("path"):
    found.setdefault(type(page).__name__, page.url)
print("PAGES=" + json.dumps(found))
"""


class Unavailable(Exception):
    """bakerydemo cannot be set up here (no source, no virtualenv): say why, and fall back."""


class Bakerydemo:
    def __init__(self, *, source: str, db_name: str, redis_url: str, workers: int, threads: int):
        self.source = source
        self.db_name = db_name
        self.workers, self.threads = workers, threads
        self.port = free_port()
        self.venv = HOME / "venv"
        self.python = self.venv / "bin" / "python"
        self.process: subprocess.Popen | None = None
        self.commit = ""
        self.src: Path | None = None
        self.paths: dict[str, str] = {}  # page kind -> path
        self.env = {
            **{
                k: v
                for k, v in os.environ.items()
                if k not in ("DJANGO_SETTINGS_MODULE", "VIRTUAL_ENV")
            },
            "DJANGO_SETTINGS_MODULE": "bakerydemo.settings.paddock_bench",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PRIMARY_HOST": "127.0.0.1",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db_name}",
            "REDIS_URL": redis_url,  # production.py uses django-redis when this is set
            "BENCH_REDIS_URL": redis_url,
            "BENCH_CACHE_KEY_PREFIX": f"bakerydemo-bench-{secrets.token_hex(4)}",
            "SECURE_SSL_REDIRECT": "false",  # as Paddock's stack: the clients say https
            "DJANGO_LOG_LEVEL": "WARNING",
        }

    # --- setting up -----------------------------------------------------------------------------

    def _export(self) -> Path:
        given = Path(self.source)
        if (given / "manage.py").is_file() and (given / "bakerydemo").is_dir():
            self.commit = "working copy"
            target = HOME / "src-working-copy"
            subprocess.run(["rm", "-rf", str(target)], check=True)
            subprocess.run(["cp", "-R", str(given), str(target)], check=True)
            return target
        if not given.exists():
            raise Unavailable(f"no bakerydemo source at {given} (set BAKERYDEMO_GIT)")
        head = subprocess.run(
            ["git", f"--git-dir={given}", "rev-parse", "HEAD"],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        if head.returncode:
            raise Unavailable(f"{given} is not a git repository: {head.stderr.strip()}")
        self.commit = head.stdout.strip()
        target = HOME / f"src-{self.commit[:12]}"
        if not (target / "manage.py").is_file():
            target.mkdir(parents=True, exist_ok=True)
            archive = subprocess.Popen(
                ["git", f"--git-dir={given}", "archive", "HEAD"], stdout=subprocess.PIPE
            )
            subprocess.run(["tar", "-x", "-C", str(target)], stdin=archive.stdout, check=True)
            if archive.wait(timeout=60):
                raise Unavailable(f"git archive of {given} failed")
        return target

    def _virtualenv(self) -> None:
        marker = self.venv / ".paddock-bench-installed"
        wanted = "\n".join(REQUIREMENTS + ["gunicorn==" + _gunicorn_version()])
        if marker.is_file() and marker.read_text() == wanted:
            return
        uv = Path(sys.executable).parent / "uv"
        try:
            if not self.python.exists():
                make = (
                    [str(uv), "venv", "-q", "--python", "3.11"]
                    if uv.exists()
                    else ["python3.11", "-m", "venv"]
                )
                subprocess.run([*make, str(self.venv)], check=True, timeout=300)
            if uv.exists():
                install = [str(uv), "pip", "install", "-q", "--python", str(self.python)]
            else:
                install = [str(self.python), "-m", "pip", "install", "-q"]
            subprocess.run([*install, *wanted.split("\n")], check=True, timeout=600)
        except (OSError, subprocess.SubprocessError) as error:
            raise Unavailable(f"could not make bakerydemo's virtualenv: {error}") from error
        marker.write_text(wanted)

    def manage(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(
            [str(self.python), "manage.py", *args],
            cwd=self.src, env=self.env, capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        if done.returncode:
            raise Unavailable(f"bakerydemo manage.py {args[0]} failed: {done.stderr[-2000:]}")
        return done.stdout

    def prepare(self) -> None:
        HOME.mkdir(parents=True, exist_ok=True)
        self.src = self._export()
        (self.src / "bakerydemo" / "settings" / "paddock_bench.py").write_text(SETTINGS)
        self._virtualenv()
        scratch_database(self.db_name)
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("load_initial_data")
        self.manage("collectstatic", "--no-input", "-v", "0")
        out = self.manage("shell", "-c", FIND_PAGES)
        found = json.loads(out.split("PAGES=", 1)[1].strip().splitlines()[0])
        for kind, (model, _) in PAGES.items():
            if model in found:
                self.paths[kind] = found[model]

    def describe(self, kind: str) -> str:
        model, what = PAGES[kind]
        return f"bakerydemo {what} {self.paths.get(kind, '(none)')}"

    # --- serving --------------------------------------------------------------------------------

    def start(self) -> None:
        self.process = subprocess.Popen(
            gunicorn_command(
                str(self.python), "bakerydemo.wsgi", self.port, self.workers, self.threads
            ),
            cwd=self.src, env=self.env, start_new_session=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            try:
                _get(self.port, "/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise Unavailable(f"bakerydemo's gunicorn did not start within {START_SECONDS:.0f} s")
        # The first view of a page makes its image renditions (seconds): not what is measured.
        for path in set(self.paths.values()):
            for _ in range(2):
                status, _, _ = _get(self.port, path)
                if status != 200:
                    raise Unavailable(f"bakerydemo {path} answered {status}")

    def stop(self) -> None:
        if self.process is not None:
            Stack._stop(self.process)
            self.process = None
        try:
            drop_database(self.db_name)
        except Exception as error:  # reported, the bench's own figures stand
            print(f"(could not drop {self.db_name}: {error})")


def _get(port: int, path: str) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}", **FORWARDED})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body, dict(response.getheaders())


def _gunicorn_version() -> str:
    from importlib.metadata import version

    return version("gunicorn")
