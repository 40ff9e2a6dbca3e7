"""The demo's accessory photos: every motif draws a decodable JPEG, the same every time.

What the seed builds with them (an index of accessories fitting the demo's models, showcases, one
on display at Cars & Coffee, featured ones on the home page, and leads for staff to follow up) is
checked on the demo seeded once for tests/demo/test_seed_demo.py."""

from io import BytesIO

import pytest
from PIL import Image

from demo.accessory_images import MOTIFS, SIZE, accessory_photo


@pytest.mark.parametrize("motif", sorted(MOTIFS))
def test_demo_accessory_photo_is_a_decodable_jpeg(motif):
    data = accessory_photo(motif, colour="#c8102e", seed="test")
    with Image.open(BytesIO(data)) as image:
        assert (image.format, image.size) == ("JPEG", SIZE)
    assert accessory_photo(motif, colour="#c8102e", seed="test") == data  # the same every time
