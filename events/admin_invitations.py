"""The staff screen that invites members to an event: audience, count, preview, test, send, progress."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from community.models import CarModel, ClubPage
from events import invitations
from events.models import EventPage
from events.texts import invitation_text_counts


class AudienceForm(forms.Form):
    kind = forms.ChoiceField(
        label="Who is invited",
        widget=forms.RadioSelect,
        choices=[
            ("club", "Members of a club"),
            ("all", "All members"),
            ("models", "Owners of these models"),
            ("attendees", "Members who came to a past event"),
            ("emails", "These email addresses (existing members)"),
        ],
    )
    club = forms.ModelChoiceField(ClubPage.objects.live().order_by("title"), required=False)
    car_models = forms.ModelMultipleChoiceField(
        CarModel.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label="Models"
    )
    past_event = forms.ModelChoiceField(
        EventPage.objects.none(), required=False, label="Past event"
    )
    emails = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Any separators: commas, spaces, new lines.",
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        self.fields["past_event"].queryset = (
            EventPage.objects.live().filter(end__lt=timezone.now()).order_by("-start")
        )
        if event.host_club_id and not self.is_bound:
            self.initial.setdefault("kind", "club")
            self.initial.setdefault("club", event.host_club_id)

    def clean(self):
        data = super().clean()
        needs = {
            "club": "club",
            "models": "car_models",
            "attendees": "past_event",
            "emails": "emails",
        }
        field = needs.get(data.get("kind"))
        if field and not data.get(field):
            self.add_error(field, "Choose who, for this kind of audience.")
        return data

    def audience(self):
        data = self.cleaned_data
        return invitations.audience_members(
            kind=data["kind"],
            club=data.get("club"),
            car_models=data.get("car_models") or [],
            past_event=data.get("past_event"),
            emails_text=data.get("emails", ""),
        )


class InviteView(WagtailAdminTemplateMixin, FormView):
    template_name = "events/admin/invite.html"
    page_title = "Invite members"
    header_icon = "mail"
    index_url_name = None

    def dispatch(self, request, *args, **kwargs):
        self.event = get_object_or_404(EventPage, pk=kwargs["event_id"])
        if not self.event.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.event.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": f"{reverse('event_rsvps:index')}?event={self.event.pk}", "label": "RSVPs"},
            {"url": "", "label": self.page_title, "sublabel": self.get_page_subtitle()},
        ]

    def get_form(self, form_class=None):
        return AudienceForm(**self.get_form_kwargs(), event=self.event)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event"] = self.event
        context["progress"] = invitations.invitation_progress(event=self.event)
        context["progress_url"] = reverse("event_rsvps:invite_progress", args=[self.event.pk])
        context["preview"] = invitations.invitation_render(
            event=self.event, member=self.request.user
        )
        return context

    def form_valid(self, form):
        members, unknown = form.audience()
        action = self.request.POST.get("action", "count")
        ids = list(members.values_list("pk", flat=True))
        already = set(
            self.event.invitations.filter(member_id__in=ids).values_list("member_id", flat=True)
        )
        if action == "test":
            invitations.invitation_send_test(event=self.event, staff_member=self.request.user)
            messages.success(
                self.request, f"A test invitation is on its way to {self.request.user.email}."
            )
        elif action == "send":
            new = [pk for pk in ids if pk not in already]
            if new:  # written first; a worker (or beat's sweep, if the broker is away) sends it
                invitations.invitation_send_create(
                    event=self.event, by=self.request.user, member_ids=new
                )
            messages.success(
                self.request, f"Sending {len(new)} invitation{'s' if len(new) != 1 else ''}."
            )
            return redirect(self.request.path)
        context = self.get_context_data(form=form)
        context.update(count=len(ids), already=len(already), unknown=unknown)
        context["texts"] = invitation_text_counts(event=self.event, member_ids=ids)
        return self.render_to_response(context)


def invite_progress(request, event_id: int):
    """The invitations' progress as JSON, for the invite screen to update itself."""
    event = get_object_or_404(EventPage, pk=event_id)
    if not event.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    response = JsonResponse(invitations.invitation_progress(event=event))
    response["Cache-Control"] = "no-store"
    return response


def invite_url(event: EventPage) -> str:
    return reverse("event_rsvps:invite", args=[event.pk])
