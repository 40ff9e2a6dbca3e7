"""Shared fixtures. Services the suite needs are required when CI=true and skipped otherwise."""

import os

import pytest

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
