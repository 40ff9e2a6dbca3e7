"""The load test's simulated member (bench/load_test.py) against a live server for a moment:
it browses, posts and RSVPs, and what it was told matches the database."""

import asyncio
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from load_test import Plan, Results, SimulatedMember  # noqa: E402
from stack import member_session  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True)


def test_simulated_member_browses_posts_and_rsvps_without_errors(live_server, site_tree):
    from events.models import Rsvp
    from tests.factories import MemberFactory, make_club, make_event

    member = MemberFactory()
    club = make_club("Load club", members=[member])
    event = make_event("Load meet", capacity=1, guests_allowed=0)
    plan = Plan(
        origin=live_server.url,
        browse=["/", event.get_parent().url, event.url, club.url, "/community/"],
        events=[(event.pk, event.url)],
        capped=(event.pk, event.url),
        club_id=club.pk,
    )
    results = Results()
    simulated = SimulatedMember(
        pk=member.pk,
        session=member_session(member),
        plan=plan,
        results=results,
        rng=random.Random(3),
    )
    # A thread of its own: in the full suite Playwright's sync API holds an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, simulated.run(time.monotonic() + 3, (0.05, 0.15))).result()
    assert results.requests > 5 and not results.server_errors and not results.other_errors
    assert results.told, "the member never answered the event"
    state = Rsvp.objects.filter(event=event, member=member).values_list("state", flat=True).first()
    assert results.told[(member.pk, event.pk)] == (state or "none")
