"""Admin screens for events: RSVPs (list, export, add by phone or at the counter, remove, change
capacity) and track-day waivers, under one "Events" menu.

Every change of places goes through the services (``events.services``,
``events.services_staff``), which lock the event: the capacity and waitlist rules hold for staff
exactly as for members.
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, IntegerField, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, ChosenView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy

from community.models.garage import plate_key
from community.spreadsheets import LOCAL_TIME_PREPROCESS
from events import services, services_staff
from events.admin_fields import EventChoiceField, event_label
from events.models import EventPage, Rsvp, RunGroup, Waiver

Member = get_user_model()


class RunGroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.event.title}: {obj.name}"


def _event_choices():
    return EventPage.objects.order_by("-start").only("pk", "title", "start")


def _run_group_choices():
    return RunGroup.objects.select_related("event").order_by("-event__start", "sort_order")


# --- Member chooser (a searchable modal: there are too many members for a select) -------------


class MemberSearchForm(BaseFilterForm):
    q = forms.CharField(
        label="Search",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Name, email or registration plate"}),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            match = Q(display_name__icontains=query) | Q(email__icontains=query)
            if plate_key(query):
                match |= Q(cars__registration_key__contains=plate_key(query))
            objects = objects.filter(match).distinct()
            self.is_searching, self.search_query = True, query
        return objects


class MemberChooserMixin:
    filter_form_class = MemberSearchForm

    def get_object_list(self):
        return Member.objects.filter(is_active=True).order_by("display_name", "pk")

    @property
    def columns(self):
        title = self.title_column
        title.label = "Member"
        return [title, Column("email", label="Email"), Column("town", label="Town")]


class MemberChooseView(MemberChooserMixin, ChooseView):
    pass


class MemberChooseResultsView(MemberChooserMixin, ChooseResultsView):
    pass


class MemberChosenView(ChosenView):
    def get_display_title(self, instance):
        return f"{instance.display_name} ({instance.email})"


class MemberChooserViewSet(ChooserViewSet):
    model = Member
    icon = "user"
    choose_one_text = "Choose a member"
    choose_another_text = "Choose another member"
    edit_item_text = "Edit member"
    choose_view_class = MemberChooseView
    choose_results_view_class = MemberChooseResultsView
    chosen_view_class = MemberChosenView
    register_widget = False  # only the RSVP form uses it; other screens keep their own widgets
    url_prefix = "events/member-chooser"


member_chooser_viewset = MemberChooserViewSet("events_member_chooser")


class MemberChooserWidget(member_chooser_viewset.widget_class):
    def get_display_title(self, instance):
        return f"{instance.display_name} ({instance.email})"


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

_PANELS_COMMON = [
    FieldPanel("answer"),
    FieldPanel("guests"),
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("car_registration"), FieldPanel("run_group")]),
            FieldRowPanel(
                [FieldPanel("emergency_contact_name"), FieldPanel("emergency_contact_phone")]
            ),
            FieldPanel("accept_waiver"),
        ],
        heading="Car and track day",
    ),
]


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
        self.promoted = services_staff.rsvp_remove(rsvp=rsvp, by=self.request.user)

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
    from wagtail.models import Site

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


def _waitlist_position():
    """Each waitlisted RSVP's place in its queue (the event's, or its run group's); else None."""
    ahead = (
        Rsvp.objects.filter(event=OuterRef("event"), state=Rsvp.State.WAITLISTED)
        .annotate(pool=Coalesce("run_group_id", Value(0)))
        .filter(pool=Coalesce(OuterRef("run_group_id"), Value(0)))
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Case(
        When(
            state=Rsvp.State.WAITLISTED,
            then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1,
        ),
        default=None,
        output_field=IntegerField(),
    )


def _source_text(rsvp: Rsvp) -> str:
    return rsvp.get_source_display().split(" (")[0]  # "Staff", not "Staff (phone or counter)"


def _state_text(rsvp: Rsvp) -> str:
    if rsvp.state == Rsvp.State.WAITLISTED and rsvp.waitlist_position:
        return f"Waitlist #{rsvp.waitlist_position}"
    return rsvp.get_state_display()


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
                waitlist_position=_waitlist_position(),
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


class RsvpViewSet(ModelViewSet):
    model = Rsvp
    name = "event_rsvps"
    url_prefix = "events/rsvps"
    icon = "list-ul"
    menu_label = "RSVPs"
    index_view_class = RsvpIndexView
    add_view_class = RsvpCreateView
    edit_view_class = RsvpEditView
    delete_view_class = RsvpDeleteView
    copy_view_enabled = False
    list_per_page = 50
    list_display = [
        "member",  # the first column links to the RSVP's edit form
        Column("event", label="Event", sort_key="event__start"),
        Column("answer", label="Answer", accessor="get_answer_display", sort_key="answer"),
        Column("state", label="State", accessor=_state_text, sort_key="state"),
        Column("places_requested", label="Places", sort_key="places_requested"),
        Column("run_group", label="Run group"),
        Column("car_number", label="Car no.", sort_key="car_number"),
        Column("source", label="Source", accessor=_source_text, sort_key="source"),
        DateColumn("checked_in_at", label="Checked in", sort_key="checked_in_at"),
        DateColumn("created_at", label="Answered", sort_key="created_at"),
    ]
    list_export = [
        "member_name",
        "member_email",
        "event",
        "event.start",
        "get_answer_display",
        "get_state_display",
        "guests",
        "places_requested",
        "car",
        "car_registration",
        "run_group",
        "car_number",
        "waitlist_position",
        "get_source_display",
        "created_at",
        "checked_in_at",
    ]
    export_headings = {
        "member_name": "Member",
        "member_email": "Email",
        "event": "Event",
        "event.start": "Event starts",
        "get_answer_display": "Answer",
        "get_state_display": "State",
        "guests": "Guests",
        "places_requested": "Places",
        "car": "Car",
        "car_registration": "Registration",
        "run_group": "Run group",
        "car_number": "Car number",
        "waitlist_position": "Waitlist position",
        "get_source_display": "Source",
        "created_at": "Answered at",
        "checked_in_at": "Checked in at",
    }
    filterset_class = RsvpFilterSet
    search_fields = [
        "member__display_name",
        "member__email",
        "car__registration",
        "car__registration_key",
    ]
    ordering = ["-created_at"]
    edit_handler = ObjectList(
        [FieldPanel("event"), FieldPanel("member"), *_PANELS_COMMON],
        base_form_class=RsvpStaffForm,
    )

    @cached_property
    def _staff_edit_panel(self):
        # On an existing RSVP the event and the member are fixed: shown, not editable.
        panel = ObjectList(
            [
                FieldPanel("event", read_only=True),
                FieldPanel("member", read_only=True),
                *_PANELS_COMMON,
            ],
            base_form_class=RsvpStaffForm,
        )
        return panel.bind_to_model(Rsvp)

    def get_edit_view_kwargs(self, **kwargs):
        panel = self._staff_edit_panel
        return super().get_edit_view_kwargs(
            panel=panel, form_class=panel.get_form_class(), **kwargs
        )

    @property
    def capacity_view(self):
        return CapacityChangeView.as_view(
            permission_policy=self.permission_policy,
            index_url_name=self.get_url_name("index"),
            header_icon="group",
        )

    def get_urlpatterns(self):
        from events.admin_invitations import InviteView, invite_progress

        return super().get_urlpatterns() + [
            path("capacity/<int:event_id>/", self.capacity_view, name="capacity"),
            path("invite/<int:event_id>/", InviteView.as_view(), name="invite"),
            path("invite/<int:event_id>/progress/", invite_progress, name="invite_progress"),
        ]


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
        if self.groups:
            self.fields["pool"].choices = [("", "The whole event")] + [
                (pk, f"Run group {group.name}") for pk, group in self.groups.items()
            ]
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
            waiting = Rsvp.objects.filter(event=self.event, state=Rsvp.State.WAITLISTED)
            if group is not None:
                waiting = waiting.filter(run_group=group)
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
            promoted = services_staff.event_capacity_change(
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


class WaiverViewSet(ModelViewSet):
    model = Waiver
    name = "event_waivers"
    url_prefix = "events/waivers"
    icon = "doc-full-inverse"
    menu_label = "Waivers"
    index_view_class = WaiverIndexView
    list_display = [
        "title",
        Column("current_number", label="Version", sort_key="current_number"),
        DateColumn("text_changed_at", label="Text changed", sort_key="text_changed_at"),
    ]
    search_fields = ["title", "text"]
    ordering = ["title"]
    copy_view_enabled = False
    form_fields = ["title", "text"]

    @property
    def permission_policy(self):
        return NoDeletePermissionPolicy(self.model)


class EventsGroup(ViewSetGroup):
    items = (RsvpViewSet, WaiverViewSet)
    menu_icon = "date"
    menu_label = "Events"
    menu_name = "events"
    menu_order = 160


@hooks.register("register_admin_viewset")
def register_events_viewsets():
    return [EventsGroup(), member_chooser_viewset]
