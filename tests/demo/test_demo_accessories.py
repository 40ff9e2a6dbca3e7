"""The demo's accessories: an index of accessories fitting the demo's models, showcases, one on
display at Cars & Coffee, featured ones on the home page, and leads for staff to follow up."""

from io import BytesIO

import pytest
from PIL import Image

from demo.accessory_images import MOTIFS, SIZE, accessory_photo

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_the_accessories():
    from accessories.models import (
        AccessoryOnDisplay,
        AccessoryPage,
        FeaturedAccessory,
        Lead,
        ShowcasePage,
    )
    from accessories.selectors import accessories_fitting
    from community.models import Member
    from demo.seed import seed_demo

    seed_demo()
    accessories = AccessoryPage.objects.live()
    assert accessories.count() >= 8
    assert all(a.gallery_images.exists() for a in accessories)
    member = Member.objects.get(email="member@paddock.localhost")
    assert accessories_fitting(member.cars.all()).count() >= 3
    winter = ShowcasePage.objects.get(slug="winter-kit")
    assert winter.items.count() >= 4
    assert AccessoryOnDisplay.objects.filter(event__slug="cars-and-coffee-on-the-quay").exists()
    assert FeaturedAccessory.objects.count() == 3
    assert Lead.objects.filter(status=Lead.Status.NEW).exists()
    assert Lead.objects.filter(kind=Lead.Kind.RESERVE, event__isnull=False).exists()
    advisor = Member.objects.get(email="sales@paddock.localhost")
    assert advisor.has_perm("accessories.change_lead") and not advisor.is_superuser


@pytest.mark.parametrize("motif", sorted(MOTIFS))
def test_demo_accessory_photo_is_a_decodable_jpeg(motif):
    data = accessory_photo(motif, colour="#c8102e", seed="test")
    with Image.open(BytesIO(data)) as image:
        assert (image.format, image.size) == ("JPEG", SIZE)
    assert accessory_photo(motif, colour="#c8102e", seed="test") == data  # the same every time
