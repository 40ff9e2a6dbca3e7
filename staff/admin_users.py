"""Wagtail's user admin for Paddock's members: the forms also edit the name members see, their
phone (matched against the service lounge's appointments) and the advisor who looks after them;
each row links to the member's owner card."""

from django import forms
from django.contrib.auth import get_user_model
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

from community.selectors import active_staff

Member = get_user_model()
MEMBER_FIELDS = {"display_name", "phone", "advisor"}


class AdvisorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


def _advisor_field() -> AdvisorChoiceField:
    return AdvisorChoiceField(
        queryset=active_staff(),
        required=False,
        empty_label="No advisor",
        help_text="The member of staff who looks after this owner.",
    )


class _MemberFieldsMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Members go by the name they chose (display_name); first and last names are optional.
        for name in ("first_name", "last_name"):
            self.fields[name].required = False
        self.fields["advisor"] = _advisor_field()
        self.fields["display_name"].label = "Name shown to members"


class MemberEditForm(_MemberFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | MEMBER_FIELDS


class MemberCreationForm(_MemberFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | MEMBER_FIELDS


class MemberUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return MemberEditForm if for_update else MemberCreationForm
