"""Test drives at events: staff pick the new models an event offers (``EventPage.test_drive_models``)
and members ask to drive one from the event page. (The names here start with ``drive``, not
``test_``, which pytest would collect from a test module that imports them.)

Which models an event offers, and that nobody books a drive at an event that is over, is this
module's rule; the lead itself (who asked, the CRM mail, the member's confirmation, a repeat
within minutes returning the first) is ``community.leads.services.sales_lead_create``'s.
"""

from __future__ import annotations

from django.db.models import QuerySet
from wagtail.models import Site

from community.leads.selectors import models_on_sale
from community.leads.services import SalesLeadError, sales_lead_create
from community.models import CarModel, Member, SalesLead
from events.models import EventPage


def drive_models_offered(*, event: EventPage) -> QuerySet[CarModel]:
    """The models a member can ask to drive at ``event``: those it offers that are on sale, none
    once it is over."""
    if event.is_past:
        return CarModel.objects.none()
    # Through the pks: an event being edited holds its models in memory (modelcluster).
    offered = [model.pk for model in event.test_drive_models.all()]
    return models_on_sale().filter(pk__in=offered).order_by("make", "name")


def drive_lead_create(
    *,
    event: EventPage,
    member: Member,
    car_model: CarModel | None,
    site: Site | None,
    message: str = "",
) -> SalesLead:
    """Ask for a drive of ``car_model`` at ``event``: a test-drive lead for the showroom. Raises
    SalesLeadError (field ``car_model``) when the event does not offer that model or is over."""
    if event.is_past:
        raise SalesLeadError("This event has taken place.", code="past")
    offered = drive_models_offered(event=event)
    if car_model is None or not offered.filter(pk=car_model.pk).exists():
        raise SalesLeadError(
            "Choose one of the cars to drive at this event.", code="model", field="car_model"
        )
    return sales_lead_create(
        kind=SalesLead.Kind.TEST_DRIVE,
        member=member,
        site=site,
        message=message,
        car_models=[car_model],
        page=event,
    )
