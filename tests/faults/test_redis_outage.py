"""Redis stops while members use the site: nothing fails, and it all comes back by itself.

gunicorn runs with site/deploy/gunicorn.conf.py and the production settings on the test database
and a Redis of the test's own (tests/support/faults.py; the machine's Redis is never stopped).
20 simulated members view pages, sign in through the form and RSVP while Redis is stopped for
FAULT_OUTAGE_SECONDS (15 s here; `make bench-faults` runs the same for 60 s), and a watcher polls
/health/. The run happens once for the module; each test checks one figure of it.
"""

import os
import secrets
import shutil

import pytest

from tests.support.faults import (
    Gunicorn,
    RedisServer,
    collectstatic,
    drive_outage,
    free_port,
    production_env,
    seed_outage_plan,
)

pytestmark = [
    pytest.mark.fault,
    pytest.mark.postgres,
    # Ordered with the transactional tests (last) and flushed after, like a live-server test.
    pytest.mark.django_db(transaction=True),
]

MEMBERS = 20
OUTAGE_SECONDS = float(os.environ.get("FAULT_OUTAGE_SECONDS", "15"))
PASSWORD = "outage-drill-password"


def database_url(settings_dict) -> str:
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"


@pytest.fixture(scope="module")
def outage(django_db_setup, django_db_blocker, tmp_path_factory):
    """Runs the outage once: the report, plus what the database holds afterwards."""
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server)", pytrace=False)
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.db import connection

    from events.models import Rsvp
    from tests.conftest import ensure_site_tree

    workdir = tmp_path_factory.mktemp("redis-outage")
    secret_key = secrets.token_urlsafe(50)
    with django_db_blocker.unblock():
        ensure_site_tree()
        # The production hasher, hashed once for everyone (the test settings use MD5).
        password_hash = PBKDF2PasswordHasher().encode(PASSWORD, "outagesalt1234")
        plan = seed_outage_plan(
            members=MEMBERS, password=PASSWORD, password_hash=password_hash, secret_key=secret_key
        )
        db_url = database_url(connection.settings_dict)
    with RedisServer(workdir / "redis") as redis:
        env = production_env(
            database_url=db_url,
            redis_url=redis.url(0),
            port=free_port(),
            workdir=workdir,
            secret_key=secret_key,
        )
        collectstatic(env)
        gunicorn = Gunicorn(env, workers=2)
        gunicorn.start()
        try:
            report = drive_outage(
                gunicorn=gunicorn, redis=redis, plan=plan, before=4, outage=OUTAGE_SECONDS, after=6
            )
        finally:
            gunicorn.stop()
        print("\n".join(report.lines()))
        if report.server_errors:
            print(gunicorn.log_tail())
    with django_db_blocker.unblock():
        answered = {
            phase: Rsvp.objects.filter(event_id=event_id).count()
            for phase, event_id in plan.rsvp_event.items()
        }
    return report, answered


def test_redis_outage_causes_no_server_error(outage):
    report, _ = outage
    assert report.server_errors == []
    assert report.connection_errors == []


def test_redis_outage_still_serves_members_and_visitors(outage):
    report, _ = outage
    assert report.requests[("during", "page")] > 0 and report.requests[("during", "visitor")] > 0
    assert set(report.statuses["during"]) <= {200, 302}


def test_redis_outage_lets_members_sign_in(outage):
    report, _ = outage
    # Every sign-in tried during the outage worked (how many got to try depends on the load).
    assert report.sign_ins["during"]["failed"] == 0
    assert report.sign_ins["during"]["ok"] >= MEMBERS // 4


def test_redis_outage_stores_every_rsvp_answered(outage):
    report, answered = outage
    assert report.rsvps["during"]["not answered"] == 0
    assert report.rsvps["during"]["answered"] > 0
    # The outage's event holds one RSVP for each member who answered it during the outage.
    assert answered["during"] == len(report.rsvp_members["during"])


def test_redis_outage_health_answers_503_json_naming_cache_and_broker(outage):
    report, _ = outage
    assert report.health_during, "no /health/ answer was recorded during the outage"
    for status, body in report.health_during:
        assert status == 503
        assert body == {
            "status": "unavailable",
            "checks": {"database": "ok", "cache": "unavailable", "broker": "unavailable"},
        }


def test_redis_back_health_answers_200_within_5_seconds(outage):
    report, _ = outage
    assert report.health_back_after is not None and report.health_back_after < 5


def test_redis_back_members_sign_in_and_rsvp_again(outage):
    report, answered = outage
    assert report.sign_ins["after"]["failed"] == 0 and report.sign_ins["after"]["ok"] > 0
    assert report.rsvps["after"]["not answered"] == 0
    assert answered["after"] == len(report.rsvp_members["after"]) > 0
