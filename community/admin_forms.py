"""Forms behind the community admin's screens (moderation), and the staff picker every lead's
follow-up form uses."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm


class StaffChoiceField(forms.ModelChoiceField):
    """A staff member to assign work to, by the name members see."""

    def label_from_instance(self, obj):
        return obj.display_name or obj.email


ACTION_CHOICES = [
    ("", "Leave as it is"),
    ("approve", "Approve"),
    ("hide", "Hide"),
    ("remove", "Remove"),
]


class ModerationAdminForm(WagtailAdminModelForm):
    """Approve, hide or remove (with a reason the author receives by email)."""

    action = forms.ChoiceField(choices=ACTION_CHOICES, required=False, label="Moderation")
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to hide or remove; the author receives it by email.",
    )

    def clean(self):
        data = super().clean()
        if data.get("action") in ("hide", "remove") and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give a reason: the author will read it.")
        return data


class MembershipAdminForm(WagtailAdminModelForm):
    decision = forms.ChoiceField(
        choices=[
            ("", "Leave as it is"),
            ("approve", "Approve the request"),
            ("decline", "Decline the request"),
        ],
        required=False,
        help_text="For requests waiting for approval; the member is emailed either way.",
    )
