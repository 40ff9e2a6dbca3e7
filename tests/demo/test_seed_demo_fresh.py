"""seed_demo run by the test itself on an empty database: the first run's summary, a failing step
rolled back, extra steps seeing the demo members, no email sent, and the refusal in production.

The tests that only look at what one seed built, or seed again on top of it, share one seed per
module instead (tests/demo/test_seed_demo.py).
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from community.models import Car, Member, Post
from community.private_images import images_privacy_sync
from demo.seed import DEMO_PASSWORD, DEMO_STEPS, seed_demo

MEMBER_LOGIN = "member@paddock.localhost"
STAFF_LOGIN = "staff@paddock.localhost"


def _files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.django_db
def test_seed_demo_runs_later_steps_with_the_demo_members():
    seen = {}

    def seed_clubs(context):
        seen["members"] = set(context.members)
        seen["pages"] = set(context.pages)
        context.report.created("clubs", 2)

    report = seed_demo(steps=[*DEMO_STEPS, seed_clubs])

    assert MEMBER_LOGIN in seen["members"] and STAFF_LOGIN in seen["members"]
    assert {"about-us", "privacy", "house-rules"} <= seen["pages"]
    assert report.created_counts["clubs"] == 2


@pytest.mark.django_db
def test_seed_demo_failing_step_leaves_no_rows_or_files(settings):
    def broken(context):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        seed_demo(steps=[*DEMO_STEPS, broken])

    assert not Member.objects.exists() and not Car.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
    # Post photos live outside MEDIA_ROOT; they are removed too.
    assert not Post.objects.exists() and not _files(settings.PADDOCK_PHOTO_ROOT)


@pytest.mark.django_db
def test_seed_demo_command_prints_summary_with_logins():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = out.getvalue()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    second = out.getvalue()

    assert "members: 20 created" in first
    for login in (STAFF_LOGIN, "sales@paddock.localhost", MEMBER_LOGIN, DEMO_PASSWORD):
        assert login in first and login in second
    assert "nothing new" in second and "members: 0 created, 20 already there" in second


@pytest.mark.django_db
def test_seed_demo_command_refuses_in_production(settings):
    settings.PADDOCK_ENV = "production"

    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=StringIO())

    assert not Member.objects.exists()


@pytest.mark.django_db
def test_seed_demo_sends_no_email(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seed_demo()

    # The only work left for the commit is keeping private clubs' images private (moving their
    # files: community/private_images.py, and Wagtail removing the old renditions), no mail.
    image_work = ("community.private_images", "wagtail.images")
    assert [c for c in callbacks if not c.__module__.startswith(image_work)] == []
    assert images_privacy_sync in callbacks and mailoutbox == []
