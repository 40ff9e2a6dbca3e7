from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from community.forms import MultiplePhotoField, MultiplePhotoInput
from community.page_parts import member_mark
from community.selectors import member_garage
from community.text import possessive
from community.uploads import ACCEPT_ATTRIBUTE, clean_photo_uploads
from events import selectors, services
from events.drives import drive_models_offered
from events.models import EventPage, Rsvp


class _MarkedRadioSelect(forms.RadioSelect):
    """Radios in a shared body: each carries the member mark ``<prefix>_<value>``, which becomes
    ``checked`` on the member's own answer as their page is served."""

    def __init__(self, *, mark_prefix: str, **kwargs):
        super().__init__(**kwargs)
        self.mark_prefix = mark_prefix

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"] = {**option["attrs"], member_mark(f"{self.mark_prefix}_{value}"): True}
        return option


class _MarkedOptionsSelect(forms.Select):
    """A select in a shared body whose options are the member's own (their cars): the member
    mark ``mark`` stands for them and is filled as their page is served."""

    def __init__(self, *, mark: str, **kwargs):
        super().__init__(**kwargs)
        self.mark = mark

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        return mark_safe(html.replace("</select>", f"{member_mark(self.mark)}</select>", 1))


# What a shared RSVP form leaves to each member (``RsvpForm(shared=True)``, ``rsvp_form_marks``).
RSVP_ANSWER_MARK, RSVP_GUESTS_MARK, RSVP_CARS_MARK = "rsvp_answer", "rsvp_guests", "rsvp_cars"
RSVP_SUBMIT_MARK = "rsvp_submit"
NO_CAR_LABEL = "No car / not decided"


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        choices=Rsvp.Answer.choices, widget=forms.RadioSelect, label="Your answer"
    )
    guests = forms.IntegerField(min_value=0, initial=0, required=False, label="Guests")
    car = forms.ModelChoiceField(queryset=None, required=False, label="Which car are you bringing?")
    run_group = forms.ModelChoiceField(queryset=None, required=False, label="Run group")
    emergency_contact_name = forms.CharField(
        max_length=80, required=False, label="Emergency contact's name"
    )
    emergency_contact_phone = forms.CharField(
        max_length=40, required=False, label="Emergency contact's phone"
    )
    accept_waiver = forms.BooleanField(required=False, label="I have read and accept the waiver")

    TRACK_DAY_ONLY = ("run_group", "emergency_contact_name", "emergency_contact_phone")

    def __init__(self, *args, event: EventPage, member, shared: bool = False, **kwargs):
        """``shared``: the form every member of an audience gets in the event page's shared body
        (an event for all members, not a track day; ``member`` is not read): the member's own
        answer, guests and cars are member marks, filled per member (``rsvp_form_marks``)."""
        # Only the fields this event asks for are copied from the class (Django copies every
        # declared field for each form: an answer's request makes one).
        self.base_fields = {
            name: field
            for name, field in type(self).base_fields.items()
            if event.is_track_day or (name not in self.TRACK_DAY_ONLY and name != "accept_waiver")
        }
        if not event.guests_allowed:
            self.base_fields.pop("guests")
        if event.is_track_day and not event.waiver_id:
            self.base_fields.pop("accept_waiver")
        super().__init__(*args, **kwargs)
        self.event = event
        self.submit_label = "Send my RSVP"
        if "guests" in self.fields:
            self.fields["guests"].max_value = event.guests_allowed
            self.fields["guests"].widget.attrs.update({"min": 0, "max": event.guests_allowed})
            self.fields["guests"].help_text = f"Up to {event.guests_allowed}."
        if shared:
            self._share()
            return
        self.fields["car"].queryset = member_garage(member=member)
        self.fields["car"].empty_label = NO_CAR_LABEL
        if event.is_track_day:
            self.fields["run_group"].queryset = event.run_groups.all()
            self.fields["car"].empty_label = "Choose your car"
            for name in ("car", *self.TRACK_DAY_ONLY):
                self.fields[name].hide_optional = True  # needed to go; not to say no
            self.fields["run_group"].empty_label = "Choose a run group"

    def _share(self) -> None:
        answer = self.fields["answer"]
        answer.widget = _MarkedRadioSelect(mark_prefix=RSVP_ANSWER_MARK, choices=answer.choices)
        if "guests" in self.fields:
            self.fields["guests"].initial = member_mark(RSVP_GUESTS_MARK)
        car = self.fields["car"]
        self.fields["car"] = forms.ChoiceField(
            choices=[],
            required=False,
            label=car.label,
            widget=_MarkedOptionsSelect(mark=RSVP_CARS_MARK),
        )
        for name in (*self.TRACK_DAY_ONLY, "accept_waiver"):
            self.fields.pop(name, None)  # none on a shared form's events (not track days)
        self.submit_label = member_mark(RSVP_SUBMIT_MARK)

    def clean_guests(self):
        guests = self.cleaned_data.get("guests") or 0
        if guests > self.event.guests_allowed:
            raise forms.ValidationError(f"You can bring up to {self.event.guests_allowed} guests.")
        return guests

    def respond(self, *, member, source: str = Rsvp.Source.WEB):
        """Record the validated answer through the RSVP service (raises services.RsvpError)."""
        data = self.cleaned_data
        return services.rsvp_respond(
            event=self.event,
            member=member,
            answer=data["answer"],
            guests=data.get("guests") or 0,
            car=data.get("car"),
            run_group=data.get("run_group"),
            accept_waiver=data.get("accept_waiver", False),
            emergency_contact_name=data.get("emergency_contact_name", ""),
            emergency_contact_phone=data.get("emergency_contact_phone", ""),
            source=source,
        )


def rsvp_form_shares(event: EventPage) -> bool:
    """Whether every member sees the same RSVP form for ``event``: it asks no track-day questions
    and every member may come (``EventPage.admits``, the rule's home, admits a member in no club
    with no car). Then the form is part of the event page's shared body."""
    return not event.is_track_day and event.admits(club_ids=(), model_ids=())


def rsvp_form_marks(*, rsvp: Rsvp | None, cars) -> dict[str, str]:
    """The member's own values in a shared RSVP form: their answer checked, their guests, their
    ``cars`` as the options (theirs selected), the button's words."""
    marks = {
        f"{RSVP_ANSWER_MARK}_{value}": "checked" if rsvp and rsvp.answer == value else ""
        for value in Rsvp.Answer.values
    }
    marks[RSVP_GUESTS_MARK] = str(rsvp.guests if rsvp else 0)
    car_id = rsvp.car_id if rsvp else None
    options = [("", NO_CAR_LABEL, "" if car_id else " selected")]
    options += [(car.pk, str(car), " selected" if car.pk == car_id else "") for car in cars]
    marks[RSVP_CARS_MARK] = format_html_join(
        "",
        '\n  <option value="{}"{}>{}</option>',
        ((v, mark_safe(s), label) for v, label, s in options),
    )
    marks[RSVP_SUBMIT_MARK] = "Update my RSVP" if rsvp else "Send my RSVP"
    return marks


class DriveRequestForm(forms.Form):
    """Ask to drive one of the new models an event offers (``events.drives``)."""

    car_model = forms.ModelChoiceField(
        queryset=None,
        label="Which car would you like to drive?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the car you would like to drive.",
            "invalid_choice": "Choose one of the cars to drive at this event.",
        },
    )
    message = forms.CharField(
        label="Anything we should know?",
        help_text="A time that suits you, say.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, event: EventPage, **kwargs):
        super().__init__(*args, **kwargs)
        offered = drive_models_offered(event=event)
        self.fields["car_model"].queryset = offered
        if not self.is_bound and len(offered) == 1:
            self.initial.setdefault("car_model", offered[0].pk)


class CarTagField(forms.ModelMultipleChoiceField):
    """The cars checked in at the event, as tick boxes: "2021 MINI Cooper S “Pepper”, yours"."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, member, **kwargs):
        self.member = member
        super().__init__(*args, **kwargs)

    def label_from_instance(self, car) -> str:
        if car.owner_id == self.member.pk:
            return f"{car}, yours"
        if car.owner.profile_visible_to(self.member):
            return f"{car}, {possessive(car.owner.display_name)}"
        return str(car)


class EventPhotosForm(forms.Form):
    """Photos for an event's album (HEIC from iPhones too), a title and the cars to tag."""

    title = forms.CharField(max_length=140)
    photos = MultiplePhotoField(
        label="Photos",
        widget=MultiplePhotoInput(attrs={"accept": ACCEPT_ATTRIBUTE, "class": "photos-input"}),
        help_text="JPEG, PNG, WebP, GIF or HEIC (iPhone), 10 MB each. "
        "Locations and camera details are removed.",
    )
    captions = forms.CharField(
        label="Captions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One line per photo, in the order you chose them.",
    )

    def __init__(self, *args, event: EventPage, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].initial = f"At {event.title}"
        cars = selectors.taggable_cars(event=event)
        self.fields["cars"] = CarTagField(
            queryset=cars,
            member=member,
            required=False,
            label="Cars in these photos",
            help_text="The cars checked in at this event. Tag your own, and any you spotted.",
            initial=[car.pk for car in cars if car.owner_id == member.pk],
        )

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        if not files:
            raise forms.ValidationError("Choose at least one photo.")
        return clean_photo_uploads(files)  # how many an album holds: post_create says

    def clean(self):
        data = super().clean()
        captions = (data.get("captions") or "").splitlines()
        data["photo_pairs"] = [
            (photo, captions[i] if i < len(captions) else "")
            for i, photo in enumerate(data.get("photos") or [])
        ]
        return data
