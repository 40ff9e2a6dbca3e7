"""Reads for accessory pages: what fits a member's cars, the listing, an accessory's page."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from accessories.models import AccessoryFitment, AccessoryPage


def fitment_condition(cars: Iterable) -> Q | None:
    """A Q on AccessoryFitment matching any of ``cars`` (model, and year inside the open range)."""
    condition = None
    for car in cars:
        one = (
            Q(car_model_id=car.car_model_id)
            & (Q(year_from__isnull=True) | Q(year_from__lte=car.year))
            & (Q(year_to__isnull=True) | Q(year_to__gte=car.year))
        )
        condition = one if condition is None else condition | one
    return condition


def accessories_fitting(cars: Iterable) -> QuerySet[AccessoryPage]:
    """Live accessories that fit any of ``cars`` (Car objects): the same model, and the car's
    model year within the fitment's ``year_from``..``year_to`` (an empty end is open)."""
    condition = fitment_condition(cars)
    if condition is None:
        return AccessoryPage.objects.none()
    return AccessoryPage.objects.live().filter(
        pk__in=AccessoryFitment.objects.filter(condition).values("page_id")
    )
