"""Accessories on lower apps' pages: featured on the home page, on display at an event, reserved
items handed over at check-in (registered on import, from ``AccessoriesConfig.ready()``; see
``community.contributions``)."""

from django.template.loader import get_template
from wagtail import hooks

from accessories.selectors import (
    accessories_on_display,
    cars_fitting,
    featured_accessories,
    fitments_of,
    pickups_at,
)
from community.contributions import CHECKIN_PICKUPS, EVENT_SECTIONS, HOME_SECTIONS
from community.lazy import Lazy
from community.page_parts import MARK_HOOK
from community.selectors import member_cars_of_request


@hooks.register(HOME_SECTIONS)
def featured_accessories_on_home(*, viewer, home) -> dict:
    return {"featured_accessories": Lazy(lambda: featured_accessories(home=home))}


@hooks.register(EVENT_SECTIONS)
def accessories_at_event(*, viewer, event) -> dict:
    return {"accessories_on_display": Lazy(lambda: accessories_on_display(event=event))}


@hooks.register(MARK_HOOK.format("fits"))
def fits_on_cards(*, request, pks) -> dict:
    """ "Fits your Cooper S" on the accessory cards of a page (``{% personal_mark "fits" %}``)."""
    cars = member_cars_of_request(request)
    if not cars:
        return {}
    template = get_template("accessories/includes/fits_mark.html")
    marks: dict[tuple, str] = {}  # one render per set of cars: most cards say the same
    found = {}
    for pk, fitments in fitments_of(pks).items():
        mine = tuple(cars_fitting(fitments, cars))
        if mine:
            if mine not in marks:
                marks[mine] = template.render({"cars": mine})
            found[pk] = marks[mine]
    return found


@hooks.register(CHECKIN_PICKUPS)
def reservations_to_hand_over(*, event) -> list:
    return pickups_at(event=event)
