"""The showroom with a CRM lead address, as the CRM tests of every kind of lead set it up."""

import pytest
from wagtail.models import Site

CRM = "leads@crm.example"


@pytest.fixture
def showroom(db):
    """The default showroom, named, with contact details and the CRM lead address ``CRM``."""
    from community.models import DealershipSettings

    dealership = DealershipSettings.for_site(Site.objects.get(is_default_site=True))
    dealership.name = "Paddock Motors Kingsbridge"
    dealership.email = "hello@dealer.example"
    dealership.phone = "01548 000000"
    dealership.crm_lead_email = CRM
    dealership.save()
    return dealership
