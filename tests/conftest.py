"""Shared fixtures. Services the suite needs are required when CI=true and skipped otherwise."""

import os

import pytest

# Fixtures shared by several apps' tests, kept beside the helpers they go with.
pytest_plugins = ["tests.support.crm"]

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture
def member(db):
    from tests.factories import MemberFactory

    return MemberFactory(display_name="Sam Porter")


@pytest.fixture
def staff(db):
    from tests.factories import StaffFactory

    return StaffFactory(display_name="Dana Staff")


@pytest.fixture
def cooper_s(db):
    from tests.factories import CarModelFactory

    return CarModelFactory(make="MINI", name="Cooper S")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MAILBOX_DIR = tmp_path / "mail"
    settings.PADDOCK_PHOTO_ROOT = tmp_path / "photos"
    from django.core.cache import caches

    caches["renditions"].clear()  # each process keeps renditions in memory: none from another test


# --- The demo dealership, seeded once per module ---------------------------------------------


@pytest.fixture(scope="module")
def _seeded_demo_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """``seed_demo()`` run once for the requesting module (as setUpTestData does), on the real
    clock, with its files in a directory of the module's own; rolled back after the module's last
    test. Returns the seed's DemoReport and where its files went."""
    from django.db import transaction
    from django.test import override_settings

    from demo.seed import seed_demo

    root = tmp_path_factory.mktemp("seeded-demo")
    media, photos = root / "media", root / "photos"
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PADDOCK_PHOTO_ROOT=photos),
        transaction.atomic(),
    ):
        report = seed_demo()
        yield report, media, photos
        transaction.set_rollback(True)


@pytest.fixture
def seeded_demo(_seeded_demo_module, _media_root, settings, db):
    """The demo dealership, seeded once for the module; returns that seed's DemoReport.

    Each test still runs in its own transaction on top, so what it changes is rolled back. Its
    MEDIA_ROOT and PADDOCK_PHOTO_ROOT hold hard links to the seed's files (cheap to make), so a test
    may add or remove files without the next test noticing.
    """
    import os
    import shutil

    report, media, photos = _seeded_demo_module
    for source, target in [(media, settings.MEDIA_ROOT), (photos, settings.PADDOCK_PHOTO_ROOT)]:
        if source.exists():
            shutil.copytree(source, target, copy_function=os.link, dirs_exist_ok=True)
    return report


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, so rate limits and cached pages do not leak between tests."""
    from django.core.cache import cache
    from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_VERSION

    def clear():
        if hasattr(cache, "delete_pattern"):  # django-redis: only this run's keys, not the whole DB
            cache.delete_pattern("*")
            # Wagtail keeps its Sites' root paths under a key version of its own: a showroom
            # created in a rolled-back test would otherwise make every later page URL absolute.
            cache.delete_pattern("*", version=SITE_ROOT_PATHS_CACHE_VERSION)
        else:
            cache.clear()

    clear()
    yield
    clear()


# --- Services: PostgreSQL, Redis, Chromium ---------------------------------------------------
# Tests marked `postgres`, `redis` or `browser` run only where the service is there. Locally a
# missing service skips them; with CI=true it fails them, so CI can never go green by skipping.

# Playwright's sync API keeps an asyncio loop in the main thread; without this Django refuses ORM
# calls made from a browser test ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SERVICE_MARKERS = ("postgres", "redis", "browser")
_service_problems: dict[str, str | None] = {}


def _postgres_problem() -> str | None:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        return (
            f"the default database is {engine}, not PostgreSQL. "
            "Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/paddock (make test does)."
        )
    return None


def _redis_problem() -> str | None:
    from django.conf import settings

    cache = settings.CACHES["default"]
    if cache["BACKEND"] not in (
        "paddock.cache.ResilientRedisCache",
        "django_redis.cache.RedisCache",
    ):
        return (
            f"the default cache is {cache['BACKEND']}, not django_redis. "
            "Set REDIS_URL=redis://127.0.0.1:6379/1 (make test does)."
        )
    try:
        from django_redis import get_redis_connection

        get_redis_connection("default").ping()
    except Exception as error:  # any failure to answer PING means no usable Redis
        return (
            f"Redis at {cache['LOCATION']} does not answer PING ({type(error).__name__}: {error})"
        )
    return None


def _browser_problem() -> str | None:
    from tests.support.browser import CHROMIUM_PATH

    if not CHROMIUM_PATH.exists():
        return f"{CHROMIUM_PATH} is missing. Install Debian's package: apt-get install -y chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return (
            f"Playwright does not import ({error}). Install the test extras: pip install -e .[test]"
        )
    return None


_SERVICE_CHECKS = {
    "postgres": _postgres_problem,
    "redis": _redis_problem,
    "browser": _browser_problem,
}


def service_problem(name: str) -> str | None:
    """Why the service is unusable in this run (None when it is fine); checked once per run."""
    if name not in _service_problems:
        _service_problems[name] = _SERVICE_CHECKS[name]()
    return _service_problems[name]


def require_service(name: str) -> None:
    """Skip the running test when the service is missing, or fail it when CI=true."""
    problem = service_problem(name)
    if problem is None:
        return
    if CI:
        pytest.fail(f"CI=true requires {name}, but {problem}", pytrace=False)
    pytest.skip(f"needs {name}: {problem}")


def pytest_collection_modifyitems(config, items):
    # A test that drives the browser is a browser test even if its author forgot the marker.
    for item in items:
        if {"page", "browser"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Runs before any fixture is set up, so a missing service never half-starts a test.
    for name in SERVICE_MARKERS:
        if item.get_closest_marker(name):
            require_service(name)


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    cache = settings.CACHES["default"]
    return [
        f"paddock: CI={'true' if CI else 'false'}; database {database['ENGINE'].rsplit('.', 1)[-1]}; "
        f"cache {cache['BACKEND'].split('.', 1)[0]} {cache.get('LOCATION', '')}".rstrip()
    ]


# --- Phase reports, so fixtures can tell whether the test failed ------------------------------

_phase_reports = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_phase_reports, {})[report.when] = report
    return report


def _test_failed(node) -> bool:
    return any(report.failed for report in node.stash.get(_phase_reports, {}).values())


# --- Redis that is away, or of the test's own ------------------------------------------------


def resilient_cache_settings(location: str, **options) -> dict:
    return {
        "default": {
            "BACKEND": "paddock.cache.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"paddock-test-{os.getpid()}",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1, **options},
        }
    }


@pytest.fixture
def redis_away(settings):
    """The default cache is Paddock's Redis cache pointed at a port nothing listens on (a fresh
    port per test, so each starts with its own circuit breaker); returns the cache."""
    from django.core.cache import cache

    from tests.support.faults import free_port

    settings.CACHES = resilient_cache_settings(f"redis://127.0.0.1:{free_port()}/0")
    return cache


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of the test's own on a spare port (tests/support/faults.py), stopped after
    the test; the test may stop and start it. Never the machine's Redis."""
    import shutil

    from tests.support.faults import RedisServer

    if shutil.which("redis-server") is None:
        message = "redis-server is not installed (apt-get install redis-server)"
        pytest.fail(message, pytrace=False) if CI else pytest.skip(message)
    with RedisServer(tmp_path / "redis") as server:
        yield server


# --- Mail: a real SMTP listener --------------------------------------------------------------


@pytest.fixture
def smtp_server(settings):
    """An aiosmtpd server on 127.0.0.1 (free port) that Django's SMTP backend sends to.

    ``smtp_server.messages`` lists what arrived; ``smtp_server.wait_for_message(predicate,
    timeout=10)`` returns the first match or fails naming what did arrive.
    """
    from tests.support.smtp import SMTPListener

    with SMTPListener() as listener:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = listener.host
        settings.EMAIL_PORT = listener.port
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 10
        yield listener


# --- Browser: Debian's Chromium through Playwright -------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (a fresh context per test keeps tests apart)."""
    require_service("browser")
    from playwright.sync_api import expect, sync_playwright

    from tests.support.browser import DEFAULT_TIMEOUT_MS, launch_chromium

    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    """A page in a new browser context (1280x900); on failure a screenshot goes to test-results/."""
    from tests.support.browser import DEFAULT_TIMEOUT_MS, VIEWPORT, screenshot_path

    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    try:
        if _test_failed(request.node):
            path = screenshot_path(request.node.nodeid)
            path.parent.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(path), full_page=True)
            print(f"Screenshot of the failing page: {path}")
    finally:
        context.close()


# --- Wagtail: the page tree a transactional (live server) test has lost -----------------------


@pytest.fixture
def site_tree(db):
    """The root page, the HomePage and the default Site, as migration 0003 creates them.

    Live-server tests run on a transactional database that is flushed after each test, which
    removes the rows data migrations made; this puts back whatever is missing and returns the
    default Site (hostname localhost, used for any host and port, so also the live server's).
    """
    return ensure_site_tree()


def ensure_site_tree():
    """``site_tree``'s work, for fixtures that reach the database outside a test."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page, Site

    from community.models import HomePage

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site
    locale = Locale.objects.order_by("pk").first() or Locale.objects.create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", draft_title="Root", slug="root", locale=locale)
    )
    home = HomePage.objects.filter(depth=2).first() or root.add_child(
        instance=HomePage(title="Home", draft_title="Home", slug="home", locale=locale)
    )
    return Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Paddock"
    )
