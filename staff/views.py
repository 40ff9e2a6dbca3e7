"""Admin screens for staff: the service lounge (upload, review, today) and the owner card."""

from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton

from community.leads.selectors import models_on_sale
from community.leads.services import SalesLeadError, sales_lead_create
from community.models import LoungeImport, SalesLead
from community.selectors import active_staff
from community.showrooms import site_for_request
from community.text import possessive
from community.texts.conversations import (
    BODY_MAX,
    conversation_read_mark,
    conversation_text_send,
)
from community.texts.services import TextError
from staff import lounge, selectors, services

Member = get_user_model()


class StaffOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _lounge_crumb():
    return {"url": reverse("staff:lounge"), "label": "Service lounge"}


# --- Service lounge -----------------------------------------------------------------------------


class LoungeUploadForm(forms.Form):
    day = forms.DateField(
        label="Day of the appointments",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    file = forms.FileField(
        label="Appointments (CSV)",
        help_text="The workshop system's export for the day: one appointment a line, with columns "
        "for the time, the customer's name, their email or phone, the plate and the work. "
        "Comma or semicolon separated; the first line names the columns.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )


class LoungeUploadView(StaffOnlyMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "staff/lounge_upload.html"
    form_class = LoungeUploadForm
    page_title = "Upload the day's appointments"
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [_lounge_crumb(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent"] = LoungeImport.objects.select_related("uploaded_by")[:8]
        return context

    def form_valid(self, form):
        try:
            batch, _parsed = lounge.lounge_import_prepare(
                upload=form.cleaned_data["file"], day=form.cleaned_data["day"], by=self.request.user
            )
        except lounge.LoungeError as error:
            form.add_error("file", str(error))
            messages.error(self.request, "Nothing was imported: the file cannot be used.")
            return self.form_invalid(form)
        return redirect("staff:lounge_review", batch.pk)


class LoungeReviewView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "staff/lounge_review.html"
    page_title = "Check the appointments"
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        self.batch = get_object_or_404(LoungeImport, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.batch.filename} · {self.batch.day:%A %d %B %Y}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            _lounge_crumb(),
            {"url": "", "label": self.page_title, "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["batch"] = self.batch
        context["parsed"] = lounge.lounge_import_parse(batch=self.batch)
        return context

    def post(self, request, *args, **kwargs):
        try:
            batch = lounge.lounge_import_confirm(batch=self.batch, by=request.user)
        except lounge.LoungeError as error:
            messages.error(request, str(error))
            return redirect("staff:lounge_review", self.batch.pk)
        text = f"Imported {batch.rows_added} appointment{'s' if batch.rows_added != 1 else ''}"
        if batch.rows_already:
            text += f"; {batch.rows_already} were already there"
        if batch.rows_malformed:
            text += f"; {batch.rows_malformed} malformed left out"
        messages.success(request, text + ".")
        return redirect(f"{reverse('staff:lounge')}?day={batch.day.isoformat()}")


class LoungeDayView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "staff/lounge_day.html"
    header_icon = "user"

    def get_day(self) -> date:
        return parse_date(self.request.GET.get("day", "") or "") or timezone.localdate()

    def get_page_title(self):
        return "Today in the lounge" if self.get_day() == timezone.localdate() else "In the lounge"

    def get_page_subtitle(self):
        return f"{self.get_day():%A %d %B %Y}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()}
        ]

    def get_header_buttons(self):
        return [
            HeaderButton(
                "Upload appointments", url=reverse("staff:lounge_upload"), icon_name="upload"
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = self.get_day()
        context.update(selectors.lounge_day(day=day))
        selectors.attach_ready_texts(visits=context["visits"], day=day)
        context["previous_day"] = (day - timedelta(days=1)).isoformat()
        context["next_day"] = (day + timedelta(days=1)).isoformat()
        context["is_today"] = day == timezone.localdate()
        return context


class LoungeReadyTextView(StaffOnlyMixin, View):
    """ "Text when the car is ready", pressed on the lounge screen for one owner."""

    http_method_names = ["post"]

    def post(self, request, pk):
        member = get_object_or_404(Member, pk=pk)
        day = timezone.localdate()
        try:
            message = lounge.lounge_ready_text_send(member=member, day=day, by=request.user)
        except lounge.LoungeError as error:
            messages.error(request, f"No text to {member.display_name}: {error}")
        else:
            messages.success(
                request, f"Texted {member.display_name}: “{message.body}”{_when(message)}"
            )
        return redirect(f"{reverse('staff:lounge')}#visit-{member.pk}")


def _when(message) -> str:
    """ " It goes at 08:00 (quiet hours)." when the text waits, else "."."""
    text = message.outbound_text
    if text is not None and text.send_after > timezone.now() + timedelta(minutes=1):
        return f" It goes at {timezone.localtime(text.send_after):%H:%M} (quiet hours)."
    return "."


# --- Owner card ---------------------------------------------------------------------------------


class OwnerLeadForm(forms.Form):
    """ "Write down a lead": what an owner told staff they are interested in (a staff lead)."""

    interest = forms.ChoiceField(
        label="Interested in",
        choices=SalesLead.Interest.choices,
        widget=forms.RadioSelect,
        initial=SalesLead.Interest.BUY,
    )
    car = forms.ModelChoiceField(
        label="Their car",
        queryset=None,
        required=False,
        empty_label="None of their cars",
        help_text="The car they would trade in, or the one it is about.",
    )
    car_models = forms.ModelMultipleChoiceField(
        label="Models of interest",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        label="What was said",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Write down what was said."},
    )
    consent = forms.BooleanField(
        label="The owner agreed to be contacted about this",
        error_messages={
            "required": "Tick the box once the owner has agreed to be contacted about it."
        },
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["car"].queryset = member.cars.select_related("car_model").order_by("pk")
        self.fields["car_models"].queryset = models_on_sale().order_by("make", "name")


class AdvisorForm(forms.Form):
    advisor = forms.ModelChoiceField(
        queryset=Member.objects.none(), required=False, empty_label="No advisor"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = active_staff()
        self.fields["advisor"].label_from_instance = lambda m: m.display_name


class OwnerTextForm(forms.Form):
    body = forms.CharField(
        label="Your text",
        required=False,  # the service says what is wrong with an empty text
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": BODY_MAX}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        quiet_from, quiet_until = (
            settings.PADDOCK_TEXT_QUIET_FROM,
            settings.PADDOCK_TEXT_QUIET_UNTIL,
        )
        help_text = (
            f"From the showroom's number, as a message from their advisor; up to {BODY_MAX} "
            "characters."
        )
        if quiet_from != quiet_until:
            help_text += (
                f" Between {quiet_from:02d}:00 and {quiet_until:02d}:00 texts wait for the morning."
            )
        self.fields["body"].help_text = help_text


class OwnerCardView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "staff/owner_card.html"
    page_title = "Owner card"
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        self.member = get_object_or_404(Member, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.member.display_name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailusers_users:index"), "label": "Users"},
            {"url": "", "label": self.page_title, "sublabel": self.get_page_subtitle()},
        ]

    def get_header_buttons(self):
        return [
            HeaderButton(
                "Edit account",
                url=reverse("wagtailusers_users:edit", args=[self.member.pk]),
                icon_name="edit",
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.owner_card(member=self.member))
        context["advisor_form"] = kwargs.get("advisor_form") or AdvisorForm(
            initial={"advisor": self.member.advisor_id}
        )
        context["text_form"] = kwargs.get("text_form") or OwnerTextForm()
        context["lead_form"] = kwargs.get("lead_form") or OwnerLeadForm(member=self.member)
        return context

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)  # the context holds what was unread
        conversation_read_mark(member=self.member, by=request.user)
        return response

    def post(self, request, *args, **kwargs):
        form = AdvisorForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a member of staff as the advisor.")
            return self.render_to_response(self.get_context_data(advisor_form=form))
        advisor = form.cleaned_data["advisor"]
        try:
            services.member_advisor_assign(member=self.member, advisor=advisor, by=request.user)
        except services.StaffToolsError as error:
            messages.error(request, str(error))
        else:
            if advisor is None:
                messages.success(request, f"{self.member.display_name} has no advisor now.")
            else:
                messages.success(
                    request,
                    f"{advisor.display_name} is now {possessive(self.member.display_name)} advisor.",
                )
        return redirect("staff:owner_card", self.member.pk)


class OwnerCardTextView(OwnerCardView):
    """The owner card's "Send text": staff text the member; on an error the card is shown again
    with the reason and the text as typed."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = OwnerTextForm(request.POST)
        form.is_valid()
        body = form.cleaned_data.get("body", "")
        try:
            message = conversation_text_send(member=self.member, body=body, by=request.user)
        except TextError as error:
            form.add_error("body", str(error))
            messages.error(request, f"The text was not sent: {error}")
            return self.render_to_response(self.get_context_data(text_form=form), status=400)
        messages.success(request, f"Texted {self.member.display_name}{_when(message)}")
        return redirect(f"{reverse('staff:owner_card', args=[self.member.pk])}#conversation")


class OwnerCardLeadView(OwnerCardView):
    """The owner card's "Write down a lead": a staff lead for the owner, assigned to the writer;
    on an error the card is shown again with the reasons by each field and the form as filled."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = OwnerLeadForm(request.POST, member=self.member)
        if form.is_valid():
            data = form.cleaned_data
            try:
                lead = sales_lead_create(
                    kind=SalesLead.Kind.STAFF,
                    member=self.member,
                    site=site_for_request(request),
                    written_by=request.user,
                    interest=data["interest"],
                    car=data["car"],
                    car_models=data["car_models"],
                    message=data["message"],
                    consent=data["consent"],
                )
            except SalesLeadError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(request, f"Lead written down: {lead.subject}.")
                return redirect(f"{reverse('staff:owner_card', args=[self.member.pk])}#leads")
        messages.error(request, "The lead was not written down: see the form.")
        return self.render_to_response(self.get_context_data(lead_form=form), status=400)
