"""A story's reactions in its shared body: the counts are every member's, which reactions are the
member's own are member marks filled per request (community.selectors.reaction_marks)."""

import re

import pytest

from community.models import Reaction
from community.page_parts import BODY_HEADER

pytestmark = pytest.mark.django_db


def pressed(html: str) -> dict[str, str]:
    """Each reaction button's kind and aria-pressed."""
    buttons = re.findall(
        r'name="kind" value="([a-z]+)">\s*<button class="reaction[^"]*" type="submit" '
        r'aria-pressed="([a-z]+)"',
        html,
    )
    return dict(buttons)


def test_members_own_reaction_is_marked_on_a_shared_story(dealership, page_cache):
    url = dealership.story.get_absolute_url()
    dealership.client_of(dealership.blake).get(url)  # Blake's visit keeps the body
    response = dealership.client_of(dealership.alex).get(url)
    assert response[BODY_HEADER] == "hit"
    marks = pressed(response.content.decode())
    assert marks["fire"] == "true" and set(marks.values()) == {"true", "false"}


def test_member_on_a_shared_story_has_no_other_members_reaction_marked(dealership, page_cache):
    url = dealership.story.get_absolute_url()
    dealership.client_of(dealership.alex).get(url)  # Alex's visit keeps the body
    response = dealership.client_of(dealership.blake).get(url)
    page = response.content.decode()
    assert response[BODY_HEADER] == "hit"
    assert set(pressed(page).values()) == {"false"} and "reaction--mine" not in page


def test_members_new_reaction_shows_on_the_shared_story_at_once(dealership, page_cache):
    url = dealership.story.get_absolute_url()
    blake = dealership.client_of(dealership.blake)
    blake.get(url)
    Reaction.objects.create(post=dealership.story, member=dealership.blake, kind="wow")
    response = blake.get(url)  # the same body: the marks are read per request
    assert response[BODY_HEADER] == "hit" and pressed(response.content.decode())["wow"] == "true"
