"""The member chooser of the staff RSVP form: a searchable modal (there are too many members
for a select), by name, email or registration plate."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, ChosenView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from community.models.garage import plate_key

Member = get_user_model()


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
