"""Fixtures of the page-cache and shared-body tests."""

import pytest

from paddock.page_cache import page_cache_clear


@pytest.fixture
def page_cache(settings):
    """The page cache on, as in production (60 s), with nothing from an earlier test."""
    settings.PADDOCK_PAGE_CACHE_SECONDS = 60
    page_cache_clear()


@pytest.fixture
def dealership(db):
    """Alex and Blake, two plain members of one audience (``test_shared_bodies.Dealership``)."""
    from tests.performance.test_shared_bodies import Dealership

    return Dealership()
