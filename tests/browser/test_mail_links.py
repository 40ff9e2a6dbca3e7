"""Every link of every kind of mail Paddock sends, taken from the real message the SMTP listener
caught, opened in Chromium and followed through to the database.

Each test runs twice, on a site served as it is run (tests/support/served.py), one per module:

- ``production``: the production settings under gunicorn with a Celery worker, behind a
  TLS-ending proxy that sends ``X-Forwarded-Proto: https``;
- ``development``: ``make run``'s development settings under runserver, SITE_URL where it serves.

Every link in a mail must be on the site's own address (one rule builds them all), answer a GET
without changing anything (mail scanners open every link), and lead to the promised result.
"""

import html
import re
import time
from email.message import EmailMessage
from unittest import mock

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.support.browser import DEFAULT_TIMEOUT_MS, VIEWPORT, log_in, screenshot_path

# transaction=True: the served processes read what the test writes, and the module runs among
# the transactional tests (after the others, which rely on the rows migrations made).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "correct-horse-battery"  # tests.factories.MemberFactory's
URL = re.compile(r"https?://[^\s<>\"')]+")
TWILIO_SID, TWILIO_TOKEN = "AC" + "c" * 32, "served-twilio-token"
MAIL_TIMEOUT = 30  # production mail goes through the Celery worker
TIMEOUT_MS = 2 * DEFAULT_TIMEOUT_MS  # three served processes share the machine with Chromium


# --- The served sites ---------------------------------------------------------------------------


@pytest.fixture
def _django_db_helper(django_db_setup, django_db_blocker):
    """Replaces pytest-django's per-test wrapping (a rollback, or a flush after each test).

    The served processes cache content type ids, which a flush renumbers, so the module's tests
    share the database: each makes its own rows, committed at once, and ``served`` flushes the
    database once, after the last test of its mode, as a transactional test leaves it.
    """
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="module", params=["production", "development"])
def served(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The site served in one mode for the whole module, with its own SMTP listener."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from tests.support.served import database_url, served_site
    from tests.support.smtp import SMTPListener
    from tests.support.twilio_api import TwilioAPI

    cache = settings.CACHES["default"]
    with django_db_blocker.unblock():
        ensure_site_tree()
        try:
            with SMTPListener() as smtp, TwilioAPI(sid=TWILIO_SID, token=TWILIO_TOKEN) as twilio:
                with served_site(
                    request.param,
                    smtp=smtp,
                    twilio=twilio,
                    database_url=database_url(connection.settings_dict),
                    redis_url=cache.get("LOCATION", ""),
                    cache_prefix=cache.get("KEY_PREFIX", ""),
                    scratch=tmp_path_factory.mktemp(f"served-{request.param}"),
                ) as site:
                    yield site
        finally:
            call_command("flush", interactive=False, verbosity=0)


def ensure_site_tree():
    """The root page, the HomePage and the default Site (as tests.conftest.site_tree makes them)."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page, Site

    from community.models import HomePage

    if Site.objects.filter(is_default_site=True).exists():
        return
    locale = Locale.objects.order_by("pk").first() or Locale.objects.create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", draft_title="Root", slug="root", locale=locale)
    )
    home = HomePage.objects.filter(depth=2).first() or root.add_child(
        instance=HomePage(title="Home", draft_title="Home", slug="home", locale=locale)
    )
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Paddock"
    )


class Site:
    """The served site as one test sees it: its address, its mail and a Chromium tab on it."""

    def __init__(self, served, tab):
        self.url = served.url
        self.mode = served.mode
        self.secret_key = served.secret_key
        self.smtp = served.smtp
        self.tab = tab

    def mail(self, to: str, contains: str = "") -> EmailMessage:
        received = self.smtp.wait_for_message(
            lambda m: to in m.envelope_to and contains in (m.subject + m.text),
            timeout=MAIL_TIMEOUT,
        )
        return received.message

    def links(self, message: EmailMessage) -> list[str]:
        """Every link in the message's text and HTML parts, each checked to be on this site."""
        found = []
        for part in message.walk():
            if part.get_content_type() == "text/plain" and not part.get_filename():
                found += URL.findall(part.get_content())
            elif part.get_content_type() == "text/html":
                found += [
                    html.unescape(u) for u in re.findall(r'href="([^"]+)"', part.get_content())
                ]
        found = [u for u in dict.fromkeys(found) if not u.startswith("mailto:")]
        assert found, f"No link in the mail:\n{message}"
        elsewhere = [u for u in found if not u.startswith(f"{self.url}/")]
        assert not elsewhere, f"Links not on {self.url}: {elsewhere}"
        return found

    def follow_all(self, message: EmailMessage) -> list[str]:
        """Open every link of the message in Chromium; each must answer (a scanner's GET)."""
        links = self.links(message)
        for link in links:
            response = self.tab.goto(link)
            assert response is not None and response.status < 400, (
                link,
                response and response.status,
            )
        return links

    def link(self, message: EmailMessage, label: str) -> str:
        """The link on the text part's line starting with ``label`` (e.g. "Going:")."""
        text = message.get_body(preferencelist=("plain",)).get_content()
        match = re.search(rf"^\s*{re.escape(label)}\s*(\S+)", text, re.M)
        assert match, f"No {label!r} link in:\n{text}"
        return match.group(1)


def person(factory=None, **fields):
    """A member (or staff, with ``factory=StaffFactory``) who can sign in on the served site: the
    test settings' MD5 hashes mean nothing there, so the password gets a PBKDF2 hash (few rounds;
    the site reads the count from the hash)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.utils.crypto import get_random_string

    from tests.factories import MemberFactory

    member = (factory or MemberFactory)(**fields)
    member.password = PBKDF2PasswordHasher().encode(
        PASSWORD, get_random_string(12), iterations=1000
    )
    member.save(update_fields=["password"])
    return member


@pytest.fixture
def site(served, browser, settings, request):
    from tests.conftest import _test_failed

    # Passwords the served site sets are PBKDF2 hashes: let this process read them too.
    settings.PASSWORD_HASHERS = [
        *settings.PASSWORD_HASHERS,
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]

    context = browser.new_context(viewport=VIEWPORT, ignore_https_errors=True)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield Site(served, tab)
    try:
        if _test_failed(request.node):
            path = screenshot_path(request.node.nodeid)
            path.parent.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(path), full_page=True)
            print(f"Screenshot of the failing page: {path}")
    finally:
        context.close()


def new_tab(site):
    """Another person's browser on the same site."""
    context = site.tab.context.browser.new_context(viewport=VIEWPORT, ignore_https_errors=True)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def confirm_answer(tab):
    tab.get_by_role("button", name="Confirm my answer").click()
    return tab.get_by_role("status")


# --- Accounts -----------------------------------------------------------------------------------


def test_signup_verification_link_confirms_the_address_and_signs_the_member_in(site):
    from allauth.account.models import EmailAddress

    email = "new.owner@example.com"
    tab = site.tab
    tab.goto(f"{site.url}/accounts/signup/")
    tab.get_by_label("Email").fill(email)
    tab.get_by_label("Your name").fill("Sam Porter")
    tab.get_by_label("Town").fill("Kingsbridge")
    tab.get_by_label("Password", exact=True).fill("Paddock-Cooper-2021!")
    tab.get_by_label("Password (again)").fill("Paddock-Cooper-2021!")
    tab.get_by_role("button", name=re.compile(r"sign up|join|create", re.I)).click()
    expect(tab).to_have_url(re.compile(r"/accounts/confirm-email/$"))

    message = site.mail(email)
    [link] = [u for u in site.follow_all(message) if "/accounts/confirm-email/" in u]
    site.tab.goto(link)
    assert not EmailAddress.objects.filter(email=email, verified=True).exists()  # GET: no change
    tab.get_by_role("button", name="Confirm").click()

    expect(tab).to_have_url(f"{site.url}{reverse('community:garage')}")  # signed in
    assert EmailAddress.objects.filter(email=email, verified=True, primary=True).exists()


def test_password_reset_link_sets_the_new_password(site):
    from community.models import Member

    member = person()
    tab = site.tab
    tab.goto(f"{site.url}{reverse('account_reset_password')}")
    tab.get_by_label("Email").fill(member.email)
    tab.get_by_role("button", name="Email me a link").click()

    message = site.mail(member.email, "password")
    [link] = [u for u in site.follow_all(message) if "/accounts/password/reset/key/" in u]
    tab.goto(link)
    tab.get_by_label(re.compile(r"^new password$", re.I)).fill("A-fresh-Paddock-pass-42")
    tab.get_by_label(re.compile(r"new password \(again\)", re.I)).fill("A-fresh-Paddock-pass-42")
    tab.get_by_role("button", name=re.compile(r"change password|set password", re.I)).click()

    expect(
        tab.get_by_text(re.compile(r"password is now changed|password has been", re.I))
    ).to_be_visible()
    assert Member.objects.get(pk=member.pk).check_password("A-fresh-Paddock-pass-42")


# --- Invitations and answers --------------------------------------------------------------------


@pytest.fixture(scope="module")
def invited(served, browser, django_db_blocker):
    """Five members of a club invited to its event by staff from the admin's invite screen,
    once per served site; returns the event and [(member, invitation mail)]. Each test that
    answers takes members of its own."""
    from tests.factories import MemberFactory, StaffFactory, make_club, make_event
    from tests.support.browser import admin_log_in

    with django_db_blocker.unblock():
        members = MemberFactory.create_batch(5)
        club = make_club("Sunday Drivers", members=members)
        event = make_event("Dawn run", host_club=club)
        staff = person(StaffFactory, is_superuser=True)
    context = browser.new_context(viewport=VIEWPORT, ignore_https_errors=True)
    context.set_default_timeout(TIMEOUT_MS)
    staff_tab = context.new_page()
    try:
        admin_log_in(staff_tab, served.url, staff)
        staff_tab.goto(f"{served.url}{reverse('event_rsvps:invite', args=[event.pk])}")
        staff_tab.get_by_role("button", name="Send the invitations").click()
        inbox = Site(served, staff_tab)
        return event, [(member, inbox.mail(member.email, "Dawn run")) for member in members]
    finally:
        context.close()


def test_invitation_going_maybe_and_cant_go_links_each_record_the_answer(site, invited):
    from events.models import Rsvp

    event, mails = invited
    (going, going_mail), (maybe, maybe_mail), (no, no_mail) = mails[:3]
    for _, message in mails[:3]:
        site.follow_all(message)
    members = [going, maybe, no]
    assert not Rsvp.objects.filter(member__in=members).exists()  # opening links changes nothing

    site.tab.goto(site.link(going_mail, "Going:"))
    expect(confirm_answer(site.tab)).to_contain_text("you're going")
    site.tab.goto(site.link(maybe_mail, "Maybe:"))
    expect(confirm_answer(site.tab)).to_contain_text("noted a maybe")
    site.tab.goto(site.link(no_mail, "Can't go:"))
    expect(confirm_answer(site.tab)).to_contain_text("Thanks for letting us know")

    rows = Rsvp.objects.filter(event=event, member__in=members)
    answers = dict(rows.values_list("member_id", "answer"))
    assert answers == {going.pk: "going", maybe.pk: "maybe", no.pk: "not_going"}
    assert set(rows.values_list("source", flat=True)) == {"email"}


def test_invitation_event_link_shows_the_event(site, invited):
    event, mails = invited
    _, message = mails[0]
    site.tab.goto(site.link(message, "More about the event:"))
    expect(site.tab.get_by_role("heading", level=1)).to_have_text(event.title)


def test_invitation_unsubscribe_link_turns_invitations_off(site, invited):
    from community.models import Member

    _, mails = invited
    member, message = mails[3]
    unsubscribe = site.link(message, "No more invitations:")
    assert "".join(str(message["List-Unsubscribe"]).split()) == f"<{unsubscribe}>"
    site.tab.goto(unsubscribe)
    site.tab.get_by_role("button", name="Unsubscribe").click()

    expect(site.tab.get_by_role("heading", name="You're unsubscribed")).to_be_visible()
    assert Member.objects.get(pk=member.pk).email_invitations is False


def test_confirmation_links_and_calendar_invite_point_at_the_event_and_change_the_answer(
    site, invited
):
    from events.models import Rsvp

    event, mails = invited
    member, message = mails[4]
    site.tab.goto(site.link(message, "Going:"))
    expect(confirm_answer(site.tab)).to_contain_text("you're going")

    confirmation = site.mail(member.email, "You're going")
    site.follow_all(confirmation)
    event_url = site.link(confirmation, "Event page:")
    [invite] = [p for p in confirmation.walk() if p.get_content_type() == "text/calendar"]
    assert f"URL:{event_url}" in invite.get_content().replace("\r\n ", "")
    site.tab.goto(event_url)
    expect(site.tab.get_by_role("heading", level=1)).to_have_text(event.title)

    site.tab.goto(
        re.search(
            rf"{re.escape(site.url)}/rsvp/\S+", confirmation.get_body(("plain",)).get_content()
        ).group(0)
    )
    site.tab.get_by_label("Not going").check()
    expect(confirm_answer(site.tab)).to_contain_text("Thanks for letting us know")
    assert Rsvp.objects.get(event=event, member=member).answer == "not_going"


def expired_link(site, event, member, answer="going") -> str:
    """A one-click link signed 61 days ago with the served site's key."""
    from django.core import signing

    from events import tokens

    long_ago = time.time() - 61 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=long_ago):
        token = signing.dumps(
            {"e": event.pk, "m": member.pk},
            key=site.secret_key,
            salt=tokens.RSVP_LINK_SALT,
            compress=True,
        )
    return f"{site.url}{reverse('events:rsvp_link', args=[token])}?answer={answer}"


def test_expired_link_mails_a_fresh_link_that_records_the_answer(site):
    from events.models import Rsvp
    from tests.factories import MemberFactory, make_event

    member = MemberFactory()
    event = make_event("Harbour breakfast")
    response = site.tab.goto(expired_link(site, event, member))
    assert response.status == 410
    expect(site.tab.get_by_role("heading", level=1)).to_have_text("This link has expired")
    site.tab.get_by_role("button", name="Email me a fresh link").click()
    expect(site.tab.get_by_text("a fresh link is on its way")).to_be_visible()

    fresh = site.mail(member.email, "Harbour breakfast")
    site.follow_all(fresh)
    assert not Rsvp.objects.filter(event=event).exists()
    site.tab.goto(site.link(fresh, "Going:"))
    expect(confirm_answer(site.tab)).to_contain_text("you're going")
    rsvp = Rsvp.objects.get(event=event, member=member)
    assert (rsvp.answer, rsvp.state) == ("going", Rsvp.State.CONFIRMED)


# --- Calendar feed and clubs --------------------------------------------------------------------


def test_my_events_calendar_feed_lists_the_event_at_its_address_on_this_site(site):
    from events.services import rsvp_respond
    from tests.factories import make_event

    member = person()
    event = make_event("Coast road drive")
    rsvp_respond(event=event, member=member, answer="going", notify=False)
    log_in(site.tab, site.url, member)
    site.tab.goto(f"{site.url}{reverse('events:my_events')}")
    feed_url = site.tab.get_by_label(re.compile(r"copy this address")).input_value()
    assert feed_url.startswith(f"{site.url}/events/my/")

    feed = site.tab.context.request.get(feed_url)  # as a calendar app fetches it, no session
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    event_url = re.search(r"^URL:(\S+)", feed.text().replace("\r\n ", ""), re.M).group(1)
    assert event_url.startswith(f"{site.url}/")
    site.tab.goto(event_url)
    expect(site.tab.get_by_role("heading", level=1)).to_have_text(event.title)


def test_club_request_link_lets_the_organiser_approve_and_the_approval_links_to_the_club(site):
    from community.models import Membership
    from tests.factories import make_club

    organiser, member = person(), person()
    club = make_club("Classic Mini Register", access="approval", organisers=[organiser])
    log_in(site.tab, site.url, member)
    site.tab.goto(f"{site.url}{club.url}")
    site.tab.get_by_role("button", name="Ask to join").click()

    request_mail = site.mail(organiser.email, "Classic Mini Register")
    [manage_url] = [u for u in site.links(request_mail) if u.endswith(f"/clubs/{club.pk}/manage/")]
    organiser_tab = new_tab(site)
    log_in(organiser_tab, site.url, organiser)
    organiser_tab.goto(manage_url)
    organiser_tab.get_by_role("button", name=re.compile(r"^Approve")).click()
    expect(organiser_tab.get_by_role("button", name=re.compile(r"^Approve"))).to_have_count(0)
    organiser_tab.context.close()
    assert Membership.objects.get(club=club, member=member).status == Membership.Status.ACTIVE

    approved = site.mail(member.email, "approved")
    [club_url] = [
        u for u in site.follow_all(approved) if u.rstrip("/").endswith("/classic-mini-register")
    ]
    site.tab.goto(club_url)
    expect(site.tab.get_by_role("heading", level=1)).to_have_text("Classic Mini Register")


# --- Accessories ---------------------------------------------------------------------------------


def test_accessory_question_mails_link_to_the_accessory_and_to_the_lead_in_the_admin(site):
    from wagtail.models import Site as WagtailSite

    from accessories.models import Lead
    from community.models import DealershipSettings
    from tests.factories import StaffFactory, make_accessory
    from tests.support.browser import admin_log_in

    dealership = DealershipSettings.for_site(WagtailSite.objects.get(is_default_site=True))
    dealership.parts_email = "parts@dealer.example"
    dealership.save()
    accessory = make_accessory(f"JCW roof spoiler {site.mode}")
    path = accessory.get_url_parts()[2]
    member = person()
    log_in(site.tab, site.url, member)
    site.tab.goto(f"{site.url}{path}")
    site.tab.get_by_role("link", name="Ask about this").click()
    form = site.tab.locator("form[data-lead-form]")
    form.get_by_label("Your question or a note").fill("Can you paint it Chili Red?")
    form.get_by_role("button", name="Send").click()
    expect(site.tab.locator(".message--success")).to_be_visible()

    confirmation = site.mail(member.email, accessory.title)
    [accessory_link] = [u for u in site.follow_all(confirmation) if u.endswith(path)]
    site.tab.goto(accessory_link)
    expect(site.tab.get_by_role("heading", level=1)).to_have_text(accessory.title)

    lead = Lead.objects.get(accessory=accessory)
    staff_mail = site.mail("parts@dealer.example", accessory.title)
    [admin_link] = [u for u in site.links(staff_mail) if "/admin/" in u]
    staff_tab = new_tab(site)
    admin_log_in(staff_tab, site.url, person(StaffFactory))
    staff_tab.goto(admin_link)
    expect(staff_tab.get_by_text("Can you paint it Chili Red?")).to_be_visible()
    staff_tab.context.close()
    assert admin_link.endswith(reverse("accessory_leads:edit", args=[lead.pk]))


# --- Texts from owners --------------------------------------------------------------------------


def text_from(site, number: str, body: str) -> int:
    """Twilio's "A message comes in" webhook for a text from ``number``, signed as Twilio signs it
    (over the showroom's public address, SITE_URL) and posted to the served site."""
    import ssl
    import urllib.parse
    import urllib.request
    import uuid

    from twilio.request_validator import RequestValidator

    url = f"{site.url}{reverse('events:text_inbound')}"
    params = {"From": number, "To": "+447700900000", "Body": body, "MessageSid": uuid.uuid4().hex}
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(params).encode(),
        headers={
            "X-Twilio-Signature": RequestValidator(TWILIO_TOKEN).compute_signature(url, params)
        },
    )
    context = ssl._create_unverified_context()  # the proxy's self-signed certificate
    with urllib.request.urlopen(request, timeout=30, context=context) as response:
        return response.status


def test_owner_text_mail_links_the_advisor_to_the_owner_card_with_the_text(site):
    from django.utils import timezone

    from community.models import Channel, MemberMobile
    from tests.factories import StaffFactory
    from tests.support.browser import admin_log_in

    advisor = person(StaffFactory, email=f"advisor-{site.mode}@dealer.example")
    member = person(display_name=f"Sam Porter {site.mode}", advisor=advisor)
    number = "+4479111234" + ("01" if site.mode == "production" else "02")
    MemberMobile.objects.create(
        member=member,
        number=number,
        verified_at=timezone.now(),
        consent_at=timezone.now(),
        consent_wording="Yes, text me.",
        advisor=Channel.TEXT,
    )

    assert text_from(site, number, "Can you check the wipers at the service?") == 200

    mail = site.mail(advisor.email, "A text from")
    card_url = site.link(mail, "Read the conversation and text back from their owner card:")
    assert card_url.endswith(reverse("staff:owner_card", args=[member.pk]))
    admin_log_in(site.tab, site.url, advisor)
    site.tab.goto(card_url)
    conversation = site.tab.get_by_role("list", name=f"Texts with {member.display_name}")
    expect(conversation.locator('[data-direction="in"]')).to_contain_text(
        "Can you check the wipers at the service?"
    )
