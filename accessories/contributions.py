"""Accessories on lower apps' pages: featured on the home page, on display at an event, reserved
items handed over at check-in (registered on import, from ``AccessoriesConfig.ready()``; see
``community.contributions``)."""

from django.template.loader import render_to_string
from wagtail import hooks

from accessories.models import AccessoryPage
from accessories.selectors import (
    accessories_on_display,
    cars_fitted,
    featured_accessories,
    member_cars,
    pickups_at,
    with_fitments,
)
from community.contributions import CHECKIN_PICKUPS, EVENT_SECTIONS, HOME_SECTIONS
from community.lazy import Lazy
from community.page_parts import MARK_HOOK


@hooks.register(HOME_SECTIONS)
def featured_accessories_on_home(*, viewer, home) -> dict:
    return {"featured_accessories": Lazy(lambda: featured_accessories(home=home))}


@hooks.register(EVENT_SECTIONS)
def accessories_at_event(*, viewer, event) -> dict:
    return {"accessories_on_display": Lazy(lambda: accessories_on_display(event=event))}


@hooks.register(MARK_HOOK.format("fits"))
def fits_on_cards(*, request, pks) -> dict:
    """ "Fits your Cooper S" on the accessory cards of a page (``{% personal_mark "fits" %}``)."""
    cars = member_cars(request.user)
    if not cars:
        return {}
    fitted = {
        accessory.pk: cars_fitted(accessory, cars)
        for accessory in with_fitments(AccessoryPage.objects.filter(pk__in=pks))
    }
    return {
        pk: render_to_string("accessories/includes/fits_mark.html", {"cars": mine})
        for pk, mine in fitted.items()
        if mine
    }


@hooks.register(CHECKIN_PICKUPS)
def reservations_to_hand_over(*, event) -> list:
    return pickups_at(event=event)
