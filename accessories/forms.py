"""The "Ask about this" / "Reserve for pick-up" form on an accessory's page."""

import re

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from accessories.models import Lead
from events.models import EventPage

# Line breaks and other control characters: never in a name or phone number (they are how a header
# injection starts, and nothing legitimate needs them).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
PHONE = re.compile(r"^\+?[0-9 ()\-.]{6,40}$")
MESSAGE_MAX = 2000


def _no_control_characters(value: str, what: str) -> str:
    if CONTROL_CHARACTERS.search(value):
        raise forms.ValidationError(
            f"{what} must be on one line, without line breaks or special characters.",
            code="control_characters",
        )
    return value.strip()


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        when = date_format(timezone.localtime(obj.start), "D j M, H:i")
        return f"{obj.title} ({when})"


class LeadForm(forms.Form):
    """Members find their name and email filled in; visitors give them and agree to be contacted.

    ``website`` is a honeypot: hidden from people, filled in by bots, and a form with it filled in
    is thanked and dropped.
    """

    kind = forms.ChoiceField(
        choices=[
            (Lead.Kind.ASK, "Ask a question"),
            (Lead.Kind.RESERVE, "Reserve it for pick-up at an event"),
        ],
        widget=forms.RadioSelect,
        initial=Lead.Kind.ASK,
        label="What would you like?",
    )
    event = EventChoiceField(
        queryset=None,
        required=False,
        label="Pick it up at",
        empty_label="Choose an event",
        help_text="We bring it along and hand it over when you check in.",
    )
    name = forms.CharField(label="Your name", max_length=100)
    email = forms.EmailField(label="Your email", max_length=254)
    phone = forms.CharField(
        label="Phone",
        max_length=40,
        required=False,
        help_text="If you would rather we call you.",
    )
    message = forms.CharField(
        label="Your question or a note",
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Up to {MESSAGE_MAX:,} characters.",
        error_messages={
            "max_length": "Keep your message to %(limit_value)s characters or fewer "
            "(it has %(show_value)s)."
        },
    )
    consent = forms.BooleanField(
        label="The parts team may contact me about this accessory by email or phone.",
        help_text="Only about this; we don't add you to any mailing list.",
        error_messages={"required": "Tick the box so the parts team may answer you."},
    )
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, member, events, accessory=None, **kwargs):
        self.member = member if getattr(member, "is_authenticated", False) else None
        if self.member is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"] = {
                "name": self.member.display_name,
                "email": self.member.email,
                **kwargs["initial"],
            }
        super().__init__(*args, **kwargs)
        self.accessory = accessory
        self.fields["event"].queryset = events_queryset(events)
        self.fields["event"].hide_optional = True  # needed to reserve; not to ask
        if events:
            self.fields["event"].initial = events[0].pk
        if not events or (accessory is not None and not accessory.can_reserve):
            # Nothing to reserve it for (no event coming up, or out of stock): questions only.
            self.fields["kind"].widget = forms.HiddenInput()
            self.fields["kind"].initial = Lead.Kind.ASK
            self.initial["kind"] = Lead.Kind.ASK
            del self.fields["event"]
        self.fields["message"].hide_optional = True  # needed to ask; not to reserve
        if self.member is not None:
            del self.fields["consent"]  # members agreed to hear from us when they joined
        for name, autocomplete in (("name", "name"), ("email", "email"), ("phone", "tel")):
            self.fields[name].widget.attrs["autocomplete"] = autocomplete
        self.fields["phone"].widget.input_type = "tel"

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def clean_name(self):
        return _no_control_characters(self.cleaned_data["name"], "Your name")

    def clean_email(self):
        return _no_control_characters(self.cleaned_data["email"], "Your email").lower()

    def clean_phone(self):
        phone = _no_control_characters(self.cleaned_data.get("phone", ""), "The phone number")
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(
                "Give a phone number with digits, spaces and + ( ) - only.", code="phone"
            )
        return phone

    def clean_message(self):
        # Keep line breaks; drop other control characters (nothing legitimate needs them).
        message = self.cleaned_data.get("message", "").replace("\r\n", "\n")
        return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", message).strip()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Lead.Kind.RESERVE:
            if self.accessory is not None and not self.accessory.can_reserve:
                self.add_error(None, "This accessory is out of stock: ask us about it instead.")
            elif "event" not in self.fields:
                self.add_error(None, "No event is coming up to collect it at: ask us instead.")
            elif not data.get("event"):
                self.add_error("event", "Choose the event where you will pick it up.")
        elif kind == Lead.Kind.ASK:
            data["event"] = None
            if not data.get("message") and "message" not in self.errors:
                self.add_error("message", "Write your question, so we can answer it.")
        return data


def events_queryset(events):
    return EventPage.objects.filter(pk__in=[event.pk for event in events]).order_by("start")
