""" "Send to the CRM again" on a lead's edit screen: shown only when the lead's CRM mail failed,
and it queues a fresh ADF mail once the reason is fixed."""

import pytest
from django.urls import reverse

from community.models import OutboundEmail
from tests.factories import CarModelFactory, LeadFactory, SalesLeadFactory, make_accessory
from tests.support.crm import CRM

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_lead(showroom):
    """A staff-written lead naming no car and no model: its ADF cannot be built (no_vehicle)."""
    from community.leads.services import sales_lead_crm_send

    lead = SalesLeadFactory(kind="staff", site=showroom.site)
    sales_lead_crm_send(lead=lead)
    lead.refresh_from_db()
    assert lead.crm_failed and "ADF needs a car" in lead.crm_error
    return lead


def crm_mails() -> int:
    return OutboundEmail.objects.filter(to=CRM).count()


def test_edit_screen_of_a_failed_lead_offers_send_again(client, staff, failed_lead):
    client.force_login(staff)
    html = client.get(reverse("sales_leads:edit", args=[failed_lead.pk])).content.decode()
    assert "Send to the CRM again" in html
    assert reverse("sales_leads:crm_resend", args=[failed_lead.pk]) in html


def test_edit_screen_of_a_lead_not_failed_has_no_send_again(client, staff):
    lead = LeadFactory()
    client.force_login(staff)
    html = client.get(reverse("accessory_leads:edit", args=[lead.pk])).content.decode()
    assert "Send to the CRM again" not in html


def test_send_again_after_the_lead_is_fixed_queues_one_crm_mail(client, staff, failed_lead):
    failed_lead.car_models.add(CarModelFactory(make="MINI", name="Countryman"))
    client.force_login(staff)
    response = client.post(reverse("sales_leads:crm_resend", args=[failed_lead.pk]), follow=True)
    failed_lead.refresh_from_db()
    assert response.redirect_chain[-1][0] == reverse("sales_leads:edit", args=[failed_lead.pk])
    assert "The lead is queued for the CRM again." in response.content.decode()
    assert crm_mails() == 1
    assert failed_lead.crm_error == "" and failed_lead.crm_email.to == CRM
    assert "Countryman" in failed_lead.crm_email.body


def test_send_again_of_a_lead_still_invalid_says_why(client, staff, failed_lead):
    client.force_login(staff)
    response = client.post(reverse("sales_leads:crm_resend", args=[failed_lead.pk]), follow=True)
    assert "The lead is still not valid for the CRM: ADF needs a car" in (response.content.decode())
    assert crm_mails() == 0


def test_send_again_of_a_lead_not_failed_is_refused(client, staff, showroom):
    lead = LeadFactory()
    client.force_login(staff)
    response = client.post(reverse("accessory_leads:crm_resend", args=[lead.pk]), follow=True)
    assert "This lead is not failed" in response.content.decode()
    assert crm_mails() == 0


def test_send_again_is_for_staff_only(client, member, failed_lead):
    client.force_login(member)
    response = client.post(reverse("sales_leads:crm_resend", args=[failed_lead.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    failed_lead.refresh_from_db()
    assert failed_lead.crm_failed


def test_send_again_of_an_accessory_lead_the_outbox_gave_up_on_queues_a_fresh_mail(
    client, staff, showroom
):
    from accessories.services import lead_crm_send

    countryman = CarModelFactory(make="MINI", name="Countryman")
    accessory = make_accessory("Roof rails", fits=[(countryman, 2020, 2026)])
    lead = lead_crm_send(lead=LeadFactory(accessory=accessory))
    assert lead.crm_email is not None, lead.crm_error
    OutboundEmail.objects.filter(pk=lead.crm_email.pk).update(status=OutboundEmail.Status.FAILED)
    client.force_login(staff)
    response = client.post(reverse("accessory_leads:crm_resend", args=[lead.pk]), follow=True)
    lead.refresh_from_db()
    assert "The lead is queued for the CRM again." in response.content.decode()
    assert crm_mails() == 2
    assert lead.crm_email.status == OutboundEmail.Status.QUEUED and not lead.crm_failed
