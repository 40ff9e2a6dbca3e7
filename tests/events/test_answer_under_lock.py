"""What a first answer does while the event's row is locked: the fewest statements, and what it
tells the member (their place on the waitlist, their calendar SEQUENCE) as if read afterwards."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import OutboundEmail
from events import services
from events.models import EventPage, Rsvp, Waiver
from tests.factories import CarFactory, MemberFactory, make_event

pytestmark = pytest.mark.django_db


def going(event, member, **kwargs):
    return services.rsvp_respond(event=event, member=member, answer="going", **kwargs)


def statements_under_lock(queries) -> list[str]:
    """The statements from the locking SELECT ... FOR UPDATE up to the end (not the test's own
    savepoints)."""
    sqls = [
        query["sql"] for query in queries if not query["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    start = next(i for i, sql in enumerate(sqls) if "FOR UPDATE" in sql)
    return sqls[start:]


def test_first_answer_runs_four_statements_under_the_events_lock(member):
    event = make_event(capacity=1)
    going(event, MemberFactory())  # the place goes: this answer joins the waitlist
    with CaptureQueriesContext(connection) as queries:
        going(event, member)
    kinds = [sql.split()[0] for sql in statements_under_lock(queries)]
    # lock, count the pool (and find any earlier answer), write the RSVP, queue its mail
    assert kinds == ["SELECT", "SELECT", "INSERT", "INSERT"]


def test_first_answers_row_holds_the_sequence_its_invite_carries(member):
    event = make_event(capacity=5)
    EventPage.objects.filter(pk=event.pk).update(sequence=3)  # the event changed three times
    rsvp = going(event, member)
    message = OutboundEmail.objects.get(member=member)
    rsvp.refresh_from_db()
    assert (rsvp.invite_sequence, message.render["data"]["sequence"]) == (3, 3)


def test_changed_answer_after_a_first_one_carries_a_higher_sequence(member):
    event = make_event(capacity=5, guests_allowed=2)
    going(event, member)
    going(event, member, guests=1)
    sequences = [
        message.render["data"]["sequence"]
        for message in OutboundEmail.objects.filter(member=member).order_by("pk")
    ]
    assert sequences == [0, 1]


def test_first_not_going_records_no_sequence(member):
    event = make_event(capacity=5)
    rsvp = services.rsvp_respond(event=event, member=member, answer="not_going")
    rsvp.refresh_from_db()
    assert rsvp.invite_sequence is None


def test_waitlist_position_told_at_the_answer_is_the_one_read_after(member):
    event = make_event(capacity=1)
    going(event, MemberFactory())
    answers = [going(event, MemberFactory()) for _ in range(4)]
    told = [services.waitlist_position_after_answer(rsvp=rsvp) for rsvp in answers]
    read = [services.waitlist_position(rsvp=Rsvp.objects.get(pk=rsvp.pk)) for rsvp in answers]
    assert told == read == [1, 2, 3, 4]


def test_waitlist_position_told_at_the_answer_counts_only_its_run_groups_queue(member):
    waiver = Waiver.objects.create(title="Track day waiver", text="I drive at my own risk.")
    event = make_event(
        "Castle Combe",
        kind=EventPage.Kind.TRACK_DAY,
        capacity=None,
        waiver=waiver,
        run_groups=[("Novice", 1), ("Advanced", 1)],
    )
    told = []
    for group in ("Novice", "Advanced", "Novice", "Advanced", "Novice"):
        driver = MemberFactory()
        rsvp = going(
            event,
            driver,
            car=CarFactory(owner=driver),
            run_group=event.run_groups.get(name=group),
            accept_waiver=True,
            emergency_contact_name="Jo Porter",
            emergency_contact_phone="07700 900123",
        )
        told.append(services.waitlist_position_after_answer(rsvp=rsvp))
    assert told == [None, None, 1, 1, 2]


def test_waitlist_position_after_a_changed_answer_is_read(member):
    event = make_event(capacity=1, guests_allowed=2)
    going(event, MemberFactory())
    going(event, MemberFactory())
    rsvp = going(event, member)
    again = going(event, member, guests=1)  # an earlier answer: its turn is kept, and read
    assert (
        services.waitlist_position_after_answer(rsvp=again)
        == 2
        == (services.waitlist_position(rsvp=rsvp))
    )
