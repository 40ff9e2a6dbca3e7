"""The events admin's screens: the staff RSVP form and its add, edit and remove views, the RSVP
listing and its filters, the change-capacity screen, the waivers' listing and permissions.

Every change of places goes through the services (``events.services``,
``events.services.staff``), which lock the event: the capacity and waitlist rules hold for staff
exactly as for members.
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, IntegerField, Max, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import log
from wagtail.models import Site
from wagtail.permission_policies import ModelPermissionPolicy

from community.models.garage import plate_key
from community.spreadsheets import LOCAL_TIME_PREPROCESS
from events import services
from events.admin_chooser import MemberChooserWidget
from events.admin_fields import EventChoiceField, event_label
from events.models import EventPage, Rsvp, RunGroup
from events.services import staff as staff_services

Member = get_user_model()


class RunGroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.event.title}: {obj.name}"


def _event_choices():
    return EventPage.objects.order_by("-start").only("pk", "title", "start")


def _run_group_choices():
    return RunGroup.objects.select_related("event").order_by("-event__start", "sort_order")


# --- The staff RSVP form ------------------------------------------------------------------------


TRACK_DAY_FIELDS = (
    "run_group",
    "emergency_contact_name",
    "emergency_contact_phone",
    "accept_waiver",
)


class RsvpStaffForm(WagtailAdminModelForm):
    """A member's answer taken by phone or at the counter. Saved through ``rsvp_respond``."""

    event = EventChoiceField(queryset=_event_choices(), label="Event")
    member = forms.ModelChoiceField(
        queryset=Member.objects.filter(is_active=True), widget=MemberChooserWidget()
    )
    answer = forms.ChoiceField(choices=Rsvp.Answer.choices, widget=forms.RadioSelect)
    guests = forms.IntegerField(
        min_value=0, initial=0, required=False, help_text="People they bring, besides themselves."
    )
    car_registration = forms.CharField(
        label="Car (registration plate)",
        max_length=20,
        required=False,
        help_text="Track days: a car in the member's garage. Optional for other events.",
    )
    run_group = RunGroupChoiceField(
        queryset=_run_group_choices(), required=False, help_text="Track days only."
    )
    accept_waiver = forms.BooleanField(
        label="The member has accepted the waiver",
        required=False,
        help_text="Track days with a waiver: read it to them or have them sign it.",
    )

    class Meta:
        model = Rsvp
        fields = [
            "event",
            "member",
            "answer",
            "guests",
            "run_group",
            "emergency_contact_name",
            "emergency_contact_phone",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # An existing RSVP keeps its event and member (shown read-only by the panel).
            self.fields.pop("event", None)
            self.fields.pop("member", None)
        else:
            self.fields["event"].queryset = _event_choices()
        self.fields["run_group"].queryset = _run_group_choices()
        if self.instance.pk and self.instance.car_id:
            self.initial.setdefault("car_registration", self.instance.car.registration)
        if self.instance.pk and self.instance.waiver_version_id:
            current = (
                self.instance.event.waiver.current_version
                if self.instance.event.waiver_id
                else None
            )
            # Accepted already (the current text): no need to tick again to change guests.
            self.initial.setdefault(
                "accept_waiver",
                current is not None and current.pk == self.instance.waiver_version_id,
            )
        if self.instance.pk and not self.instance.event.is_track_day:
            for name in TRACK_DAY_FIELDS:  # their panels hide with them
                self.fields.pop(name, None)

    def validate_unique(self):
        # A member who already answered is updated by rsvp_respond, not refused.
        pass

    def clean(self):
        data = super().clean()
        event = data.get("event") or (self.instance.event if self.instance.pk else None)
        member = data.get("member") or (self.instance.member if self.instance.pk else None)
        data["guests"] = data.get("guests") or 0
        run_group = data.get("run_group")
        if event and run_group and run_group.event_id != event.pk:
            self.add_error("run_group", f"Choose one of the run groups of {event.title}.")
        plate = (data.get("car_registration") or "").strip()
        data["car"] = None
        if plate and member:
            data["car"] = member.cars.filter(registration_key=plate_key(plate)).first()
            if data["car"] is None:
                self.add_error("car_registration", f"{member} has no car with this plate.")
        return data


ERROR_FIELDS = {
    "answer": "answer",
    "guests": "guests",
    "car": "car_registration",
    "car_required": "car_registration",
    "run_group": "run_group",
    "waiver": "accept_waiver",
    "emergency_contact": "emergency_contact_name",
}


class RsvpSaveMixin:
    """Save through ``rsvp_respond`` (source staff); its refusals become form errors."""

    def save_instance(self):
        data = self.form.cleaned_data
        event = data.get("event") or self.form.instance.event
        member = data.get("member") or self.form.instance.member
        existed = Rsvp.objects.filter(event=event, member=member).exists()
        self.has_content_changes = True
        rsvp = services.rsvp_respond(
            event=event,
            member=member,
            answer=data["answer"],
            guests=data.get("guests") or 0,
            car=data.get("car"),
            run_group=data.get("run_group"),
            accept_waiver=data.get("accept_waiver", False),
            emergency_contact_name=data.get("emergency_contact_name", ""),
            emergency_contact_phone=data.get("emergency_contact_phone", ""),
            source=Rsvp.Source.STAFF,
            by_staff=True,
        )
        log(
            instance=rsvp,
            action="wagtail.edit" if existed else "wagtail.create",
            user=self.request.user,
            content_changed=True,
        )
        return rsvp

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.RsvpError as error:
            field = ERROR_FIELDS.get(error.code)
            form.add_error(field if field in form.fields else None, str(error))
            self.produced_error_message = f"The RSVP was not saved: {error}"
            return self.form_invalid(form)

    def get_success_message(self, instance=None):
        rsvp = instance or self.object
        who, what = rsvp.member, rsvp.event.title
        if rsvp.state == Rsvp.State.CONFIRMED:
            return (
                f"{who} is going to {what} ({rsvp.places} place{'s' if rsvp.places != 1 else ''})."
            )
        if rsvp.state == Rsvp.State.WAITLISTED:
            position = services.waitlist_position(rsvp=rsvp)
            return f"{what} is full: {who} is number {position} on the waitlist."
        return f"Recorded: {who} answered “{rsvp.get_answer_display()}” for {what}."

    def get_success_url(self):
        return f"{reverse('event_rsvps:index')}?event={self.object.event_id}"


class RsvpCreateView(RsvpSaveMixin, CreateView):
    page_title = "Add an RSVP"
    page_subtitle = "Answer taken by phone or at the counter"
    submit_button_label = "Save the RSVP"

    def get_page_subtitle(self):
        return self.page_subtitle

    def get_initial(self):
        initial = super().get_initial()
        event_id = self.request.GET.get("event", "")
        if event_id.isdigit():
            initial["event"] = int(event_id)
        return initial


class RsvpEditView(RsvpSaveMixin, EditView):
    submit_button_label = "Save the RSVP"

    def get_success_message(self, instance=None):  # EditView passes no instance
        return RsvpSaveMixin.get_success_message(self, instance)


class RsvpDeleteView(DeleteView):
    page_title = "Remove"
    promoted = ()

    @property
    def confirmation_message(self):
        rsvp = self.object
        text = f"Remove {rsvp.member}'s RSVP to {rsvp.event.title}?"
        if rsvp.state == Rsvp.State.CONFIRMED:
            text += (
                f" Their {rsvp.places} place{'s' if rsvp.places != 1 else ''} go to the waitlist."
            )
        return text

    def delete_action(self):
        rsvp = self.object
        log(instance=rsvp, action="wagtail.delete", user=self.request.user)
        self.promoted = staff_services.rsvp_remove(rsvp=rsvp, by=self.request.user)

    def get_success_message(self):
        text = f"{self.object.member}'s RSVP to {self.object.event.title} removed."
        if self.promoted:
            names = ", ".join(str(rsvp.member) for rsvp in self.promoted)
            text += f" Promoted from the waitlist: {names}."
        return text

    def get_success_url(self):
        return f"{reverse('event_rsvps:index')}?event={self.object.event_id}"


# --- RSVP listing ---------------------------------------------------------------------------------


class CheckedInFilter(django_filters.ChoiceFilter):
    def filter(self, qs, value):
        if value == "yes":
            return qs.filter(checked_in_at__isnull=False)
        if value == "no":
            return qs.filter(checked_in_at__isnull=True)
        return qs


class EventFilter(django_filters.ModelChoiceFilter):
    field_class = EventChoiceField


class RunGroupFilter(django_filters.ModelChoiceFilter):
    field_class = RunGroupChoiceField


class ShowroomFilter(django_filters.ModelChoiceFilter):
    """RSVPs to events of one showroom (a Wagtail Site) of the group."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(event__path__startswith=value.root_page.path)


def _showroom_choices():
    return Site.objects.select_related("root_page").order_by("-is_default_site", "site_name")


class RsvpFilterSet(WagtailFilterSet):
    showroom = ShowroomFilter(queryset=lambda request: _showroom_choices(), label="Showroom")
    event = EventFilter(queryset=lambda request: _event_choices(), label="Event")
    state = django_filters.ChoiceFilter(
        choices=Rsvp.State.choices, widget=forms.RadioSelect, empty_label="All"
    )
    answer = django_filters.ChoiceFilter(
        choices=Rsvp.Answer.choices, widget=forms.RadioSelect, empty_label="All"
    )
    source = django_filters.ChoiceFilter(
        choices=Rsvp.Source.choices, widget=forms.RadioSelect, empty_label="All"
    )
    run_group = RunGroupFilter(queryset=lambda request: _run_group_choices(), label="Run group")
    checked_in = CheckedInFilter(
        label="Checked in",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        empty_label="All",
    )

    class Meta:
        model = Rsvp
        fields = ["showroom", "event", "state", "answer", "source", "run_group", "checked_in"]


class RsvpIndexView(IndexView):
    export_filename = "rsvps"
    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        **LOCAL_TIME_PREPROCESS,  # the dealership's local time, as staff read it (not UTC)
    }

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("member", "event", "car__car_model", "run_group")
            .annotate(
                member_name=F("member__display_name"),
                member_email=F("member__email"),
                car_registration=F("car__registration"),
                # What the RSVP holds or waits for: nothing for maybe and not going.
                places_requested=Case(
                    When(state=Rsvp.State.OUT, then=Value(None)),
                    default=F("guests") + 1,
                    output_field=IntegerField(),
                ),
                waitlist_position=services.waitlist_position_expression(),
            )
        )

    @cached_property
    def filtered_event(self) -> EventPage | None:
        if self.filters is not None and self.filters.is_valid():
            return self.filters.form.cleaned_data.get("event")
        return None

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        event = self.filtered_event
        if event is not None:
            buttons = [
                HeaderButton(
                    "Add an RSVP",
                    url=f"{reverse('event_rsvps:add')}?event={event.pk}",
                    icon_name="plus",
                ),
                HeaderButton(
                    "Change capacity",
                    url=reverse("event_rsvps:capacity", args=[event.pk]),
                    icon_name="group",
                ),
            ]
        return buttons

    def get_page_subtitle(self):
        event = self.filtered_event
        return event.title if event else super().get_page_subtitle()

    @cached_property
    def columns(self):
        # Fewer, wider columns: the event when all events are listed, track-day details on a
        # track day's list.
        event = self.filtered_event
        hidden = {"run_group", "car_number"}
        if event is not None:
            hidden = {"event"} if event.is_track_day else {"event", "run_group", "car_number"}
        return [column for column in super().columns if column.name not in hidden]


# --- Change capacity ----------------------------------------------------------------------------


class CapacityForm(forms.Form):
    pool = forms.ChoiceField(label="Places of", required=False)
    capacity = forms.IntegerField(
        label="New capacity",
        min_value=0,
        required=False,
        help_text="Places in all, guests included. Empty: no limit (the whole event only).",
    )

    def __init__(self, *args, event: EventPage, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {str(group.pk): group for group in groups}
        if self.groups:  # the event's places are then its groups' (EventPage.places_in_all)
            self.fields["pool"].choices = [
                (pk, f"Run group {group.name}") for pk, group in self.groups.items()
            ]
            self.fields["pool"].required = True
        else:
            del self.fields["pool"]

    def clean(self):
        data = super().clean()
        data["run_group"] = self.groups.get(data.get("pool") or "")
        if data["run_group"] is not None and data.get("capacity") is None:
            self.add_error("capacity", "Give the run group's number of places.")
        return data


class CapacityChangeView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Raise or lower an event's places; a rise promotes the waitlist in order, and says who."""

    permission_policy = None
    permission_required = "change"
    index_url_name = None
    header_icon = "group"
    page_title = "Change capacity"
    template_name = "events/admin/capacity_change.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.event = get_object_or_404(EventPage, pk=kwargs["event_id"])

    def dispatch(self, request, *args, **kwargs):
        if not self.event.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return event_label(self.event)

    @cached_property
    def index_url(self):
        return f"{reverse(self.index_url_name)}?event={self.event.pk}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": self.index_url, "label": "RSVPs"},
            {"url": "", "label": self.page_title, "sublabel": self.get_page_subtitle()},
        ]

    @cached_property
    def groups(self):
        return list(self.event.run_groups.all()) if self.event.is_track_day else []

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "event": self.event,
            "groups": self.groups,
            "initial": {"capacity": self.event.capacity},
        }

    def get_form(self, form_class=None):
        return CapacityForm(**self.get_form_kwargs())

    def pools(self):
        rows = []
        for group in [None, *self.groups]:
            capacity = services.capacity_of(event=self.event, run_group=group)
            waiting = services.waitlist_queue(event=self.event, run_group=group)
            rows.append(
                {
                    "label": "The whole event" if group is None else f"Run group {group.name}",
                    "capacity": "no limit" if capacity is None else capacity,
                    "taken": services.confirmed_places(event=self.event, run_group=group),
                    "waiting": waiting.count(),
                }
            )
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context.update(
            event=self.event,
            pools=self.pools(),
            action_url=self.request.path,
            submit_button_label="Change capacity",
            submit_button_active_label="Changing…",
            media=form.media,
        )
        return context

    def form_valid(self, form):
        group = form.cleaned_data["run_group"]
        capacity = form.cleaned_data.get("capacity")
        try:
            promoted = staff_services.event_capacity_change(
                event=self.event, capacity=capacity, run_group=group, by=self.request.user
            )
        except services.RsvpError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        where = f"Run group {group.name}" if group else self.event.title
        text = f"{where}: capacity now {'no limit' if capacity is None else capacity}."
        if promoted:
            text += " Promoted from the waitlist: " + ", ".join(
                f"{rsvp.member} ({rsvp.places})" for rsvp in promoted
            )
            text += "."
        else:
            text += " Nobody was promoted."
        messages.success(self.request, text)
        return redirect(self.index_url)

    def form_invalid(self, form):
        messages.validation_error(self.request, "The capacity was not changed.", form)
        return super().form_invalid(form)


# --- Waivers ------------------------------------------------------------------------------------


class NoDeletePermissionPolicy(ModelPermissionPolicy):
    """Waivers are kept: RSVPs point at the version their member accepted."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a != "delete"])


class WaiverIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(
                current_number=Max("versions__number"),
                text_changed_at=Max("versions__created_at"),
            )
        )
