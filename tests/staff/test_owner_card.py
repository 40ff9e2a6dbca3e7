"""The owner card, and advisors: assigned by staff, shown on the card and the member's profile."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from staff import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(cooper_s):
    from tests.factories import CarFactory, MemberFactory

    sam = MemberFactory(display_name="Sam Porter", phone="07700 900123")
    CarFactory(owner=sam, car_model=cooper_s, registration="KB21 XYZ", year=2017)
    return sam


def test_owner_card_shows_garage_clubs_events_posts_and_leads(client, staff, owner, cooper_s):
    from accessories.models import AccessoryIndexPage, AccessoryPage, Lead
    from community.models import HomePage
    from events.models import Rsvp
    from tests.factories import PostFactory, make_club, make_event

    make_club("Cooper S Owners", members=[owner])
    event = make_event("Dartmoor Sunrise Drive", days_ahead=-3)
    Rsvp.objects.create(
        event=event, member=owner, answer="going", state="confirmed", checked_in_at=event.start
    )
    PostFactory(author=owner, title="Coast road at dawn")
    index = HomePage.objects.get(depth=2).add_child(
        instance=AccessoryIndexPage(title="Accessories", slug="accessories")
    )
    rack = index.add_child(
        instance=AccessoryPage(title="Roof rack", slug="roof-rack", part_number="51-RR")
    )
    Lead.objects.create(accessory=rack, member=owner, name="Sam", email=owner.email, kind="reserve")
    client.force_login(staff)
    html = client.get(reverse("staff:owner_card", args=[owner.pk])).content.decode()
    for text in [
        "KB21 XYZ",
        "over 4 years",
        "Cooper S Owners",
        "Dartmoor Sunrise Drive",
        "1</strong> attended",
        "Coast road at dawn",
        "Roof rack",
        "07700 900123",
        "Event invitations: <strong>yes",
    ]:
        assert text in html, text


def test_owner_card_timeline_is_newest_first(staff, owner):
    from community.models import Car, Member
    from tests.factories import PostFactory

    Member.objects.filter(pk=owner.pk).update(date_joined=timezone.now() - timedelta(days=30))
    Car.objects.filter(owner=owner).update(created_at=timezone.now() - timedelta(days=2))
    PostFactory(author=owner, title="Yesterday's drive")
    timeline = selectors.owner_card(member=owner)["timeline"]
    assert [m.kind for m in timeline] == ["post", "car", "joined"]


def test_owner_card_assigns_an_advisor(client, staff, owner):
    client.force_login(staff)
    response = client.post(
        reverse("staff:owner_card", args=[owner.pk]), {"advisor": staff.pk}, follow=True
    )
    owner.refresh_from_db()
    assert owner.advisor == staff
    assert f"{staff.display_name} is now Sam Porter" in response.content.decode()


def test_owner_card_refuses_a_member_who_is_not_staff_as_advisor(client, staff, owner, member):
    client.force_login(staff)
    client.post(reverse("staff:owner_card", args=[owner.pk]), {"advisor": member.pk})
    owner.refresh_from_db()
    assert owner.advisor is None


def test_advisor_assign_service_refuses_non_staff(owner, member, staff):
    with pytest.raises(services.StaffToolsError) as excinfo:
        services.member_advisor_assign(member=owner, advisor=member, by=staff)
    assert excinfo.value.code == "not_staff"


def test_owner_card_is_for_staff_only(client, owner, member):
    client.force_login(member)
    assert client.get(reverse("staff:owner_card", args=[owner.pk])).status_code in (302, 403)


def test_user_edit_form_saves_phone_and_advisor(client, staff, owner):
    client.force_login(staff)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[owner.pk]),
        {
            "email": owner.email,
            "first_name": "",
            "last_name": "",
            "display_name": "Sam Porter",
            "phone": "+44 7700 900999",
            "advisor": staff.pk,
            "is_active": "on",
            "password1": "",
            "password2": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    owner.refresh_from_db()
    assert (owner.advisor, owner.phone_key) == (staff, "07700900999")


def test_user_list_links_to_the_owner_card(client, staff, owner):
    client.force_login(staff)
    html = client.get(reverse("wagtailusers_users:index")).content.decode()
    assert reverse("staff:owner_card", args=[owner.pk]) in html


def test_profile_shows_the_member_their_advisor(client, staff, owner):
    services.member_advisor_assign(member=owner, advisor=staff, by=staff)
    client.force_login(owner)
    html = client.get(owner.get_absolute_url()).content.decode()
    assert "Your advisor at" in html and staff.display_name in html


def test_profile_hides_the_advisor_from_other_members(client, staff, owner, member):
    services.member_advisor_assign(member=owner, advisor=staff, by=staff)
    client.force_login(member)
    assert "advisor" not in client.get(owner.get_absolute_url()).content.decode().lower()


def test_owner_card_shows_the_full_vin_to_staff(client, staff, owner):
    owner.cars.update(vin="WMWXU7C52K2F12345")
    client.force_login(staff)
    html = client.get(reverse("staff:owner_card", args=[owner.pk])).content.decode()
    assert "WMWXU7C52K2F12345" in html


# --- leads on the owner card --------------------------------------------------------------------


def test_owner_card_lists_the_members_accessory_and_sales_leads_with_links(client, staff, owner):
    from tests.factories import LeadFactory, SalesLeadFactory

    question = LeadFactory(member=owner, name="Sam Porter", assigned_to=staff)
    trade_in = SalesLeadFactory(
        member=owner, kind="trade_in", year=2017, make="MINI", model="Cooper S", status="contacted"
    )
    LeadFactory(name="Someone Else")  # not the owner's
    client.force_login(staff)
    html = client.get(reverse("staff:owner_card", args=[owner.pk])).content.decode()
    assert "Leads (2)" in html
    assert reverse("accessory_leads:edit", args=[question.pk]) in html
    assert reverse("sales_leads:edit", args=[trade_in.pk]) in html
    assert "What is my 2017 MINI Cooper S worth?" in html
    assert "Trade-in appraisal" in html and "Contacted" in html
    assert "Not sent: no CRM address" in html


def test_owner_card_timeline_has_each_lead_newest_first_with_kind_status_assignee_and_crm(
    staff, owner
):
    from tests.factories import LeadFactory, SalesLeadFactory

    question = LeadFactory(member=owner, assigned_to=staff)
    type(question).objects.filter(pk=question.pk).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    SalesLeadFactory(member=owner, kind="next_car")
    leads = [m for m in selectors.owner_card(member=owner)["timeline"] if m.kind == "lead"]
    assert [m.text.split(":")[0] for m in leads] == ["Next car", "Question"]
    assert f"(new, {staff.display_name}; CRM: Not sent: no CRM address)" in leads[1].text
    assert "(new, nobody yet; CRM:" in leads[0].text
    assert leads[1].url == reverse("accessory_leads:edit", args=[question.pk])


def lead_form(owner, **fields):
    car = owner.cars.get()
    return {
        "interest": "trade-in",
        "car": car.pk,
        "message": "Wants to know what the Cooper S is worth against a Countryman.",
        "consent": "on",
        **fields,
    }


def test_owner_card_lead_form_writes_one_staff_lead_assigned_to_the_writer(client, staff, owner):
    from community.models import SalesLead

    client.force_login(staff)
    response = client.post(reverse("staff:owner_lead", args=[owner.pk]), lead_form(owner))
    assert response.status_code == 302
    assert response["Location"].endswith(f"{reverse('staff:owner_card', args=[owner.pk])}#leads")
    lead = SalesLead.objects.get()
    assert lead.kind == "staff" and lead.interest == "trade-in"
    assert lead.member == owner and lead.car == owner.cars.get()
    assert lead.written_by == staff and lead.assigned_to == staff
    assert lead.consent_at is not None
    assert lead.message.startswith("Wants to know")


def test_owner_card_lead_form_without_consent_keeps_what_was_typed(client, staff, owner):
    from community.models import SalesLead

    client.force_login(staff)
    data = lead_form(owner)
    del data["consent"]
    response = client.post(reverse("staff:owner_lead", args=[owner.pk]), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert not SalesLead.objects.exists()
    assert "Tick the box once the owner has agreed to be contacted about it." in html
    assert "Wants to know what the Cooper S is worth against a Countryman." in html
    assert response.context["lead_form"]["interest"].value() == "trade-in"


def test_owner_card_lead_form_without_car_or_model_says_so_by_the_models(client, staff, owner):
    from community.models import SalesLead

    client.force_login(staff)
    response = client.post(reverse("staff:owner_lead", args=[owner.pk]), lead_form(owner, car=""))
    assert response.status_code == 400
    assert not SalesLead.objects.exists()
    assert response.context["lead_form"].errors["car_models"] == [
        "Name the car: one of the owner's cars or a model they are interested in."
    ]
    assert "Wants to know what the Cooper S" in response.content.decode()


def test_owner_card_lead_form_with_a_model_of_interest_and_no_car(client, staff, owner, cooper_s):
    from community.models import SalesLead

    client.force_login(staff)
    client.post(
        reverse("staff:owner_lead", args=[owner.pk]),
        lead_form(owner, car="", interest="buy", car_models=[cooper_s.pk]),
    )
    lead = SalesLead.objects.get()
    assert list(lead.car_models.all()) == [cooper_s]
    assert lead.car is None
