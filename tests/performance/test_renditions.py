"""Image renditions are made by seed_demo, so first views of the demo do not resize images.

The demo is seeded once for the module (``seeded_demo``, tests/conftest.py)."""

import pytest
from wagtail.images.models import Rendition

from community.renditions import images_and_specs

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_every_rendition_the_templates_use(seeded_demo):
    wanted = {(image_id, spec) for image_id, specs in images_and_specs().items() for spec in specs}
    made = set(Rendition.objects.values_list("image_id", "filter_spec"))
    assert wanted and wanted <= made, sorted(wanted - made)
    assert {"fill-1920x900", "fill-600x400", "fill-1600x600", "max-480x96"} <= {
        spec for _, spec in made
    }


def test_demo_pages_need_no_new_rendition_on_first_view(seeded_demo, client):
    from community.models import ClubPage
    from events.models import EventIndexPage, EventPage

    before = Rendition.objects.count()
    club = ClubPage.objects.live().exclude(cover_image=None).exclude(access="private").first()
    event = EventPage.objects.live().exclude(cover_image=None).filter(audience="public").first()
    for url in ["/", EventIndexPage.objects.first().url, event.url, club.url, "/clubs/"]:
        assert client.get(url).status_code == 200, url
    assert Rendition.objects.count() == before
