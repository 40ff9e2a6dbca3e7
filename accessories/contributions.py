"""Accessories on lower apps' pages: featured on the home page, on display at an event, reserved
items handed over at check-in (registered on import, from ``AccessoriesConfig.ready()``; see
``community.contributions``)."""

from wagtail import hooks

from accessories.selectors import accessories_on_display, featured_accessories, pickups_at
from community.contributions import CHECKIN_PICKUPS, EVENT_SECTIONS, HOME_SECTIONS


@hooks.register(HOME_SECTIONS)
def featured_accessories_on_home(*, viewer, home) -> dict:
    return {"featured_accessories": featured_accessories(home=home, viewer=viewer)}


@hooks.register(EVENT_SECTIONS)
def accessories_at_event(*, viewer, event) -> dict:
    return {"accessories_on_display": accessories_on_display(event=event)}


@hooks.register(CHECKIN_PICKUPS)
def reservations_to_hand_over(*, event) -> list:
    return pickups_at(event=event)
