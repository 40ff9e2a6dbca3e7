"""The HTML invitation holds up in a phone's mail app: nothing sticks out sideways and its Going /
Maybe / Can't go buttons stay full-size tap targets."""

import pytest

from events.invitations import invitation_render
from tests.factories import MemberFactory, make_event
from tests.support.layout import layout_problems

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [320, 390, 600])
def test_invitation_mail_fits_a_phone_mail_app(page, site_tree, width):
    member = MemberFactory(display_name="Christopher Kennedy-Worthington")
    event = make_event("Dawn run to the coast")
    page.set_viewport_size({"width": width, "height": 800})
    page.set_content(invitation_render(event=event, member=member).html)
    assert layout_problems(page) == []
