from django import forms
from django.utils import timezone

from community.models import Car, CarModel, Member
from community.uploads import PhotoField


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (``ACCOUNT_SIGNUP_FORM_CLASS``)."""

    display_name = forms.CharField(
        label="Your name", max_length=60, help_text="How other members will see you, e.g. Sam P."
    )
    town = forms.CharField(label="Town", max_length=80, required=False)

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"].strip()
        user.town = self.cleaned_data.get("town", "").strip()
        user.save()


class CarForm(forms.ModelForm):
    photo = PhotoField(required=False, help_text="JPEG, PNG, WebP or GIF, up to 10 MB.")

    class Meta:
        model = Car
        fields = [
            "car_model",
            "year",
            "trim",
            "colour",
            "nickname",
            "registration",
            "vin",
            "bought_on",
            "bought_here",
            "photo",
        ]
        widgets = {"bought_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["car_model"].queryset = CarModel.objects.order_by("make", "name")
        self.fields["car_model"].empty_label = "Choose your model"
        self.fields["year"].widget.attrs.update(
            {"min": 1900, "max": timezone.localdate().year + 1, "inputmode": "numeric"}
        )
        self.fields["vin"].widget.attrs.update(
            {"autocapitalize": "characters", "spellcheck": "false", "maxlength": 17}
        )
        self.fields["registration"].widget.attrs.update({"autocapitalize": "characters"})

    def clean_vin(self):
        return self.cleaned_data["vin"].replace(" ", "").strip().upper()

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo is False:  # "clear" ticked: the model field is emptied
            return False
        if photo is None:  # nothing uploaded: keep what is saved
            return self.instance.photo if self.instance.pk else None
        return photo


class ProfileForm(forms.ModelForm):
    avatar = PhotoField(
        label="Profile photo", required=False, help_text="JPEG, PNG, WebP or GIF, up to 10 MB."
    )

    class Meta:
        model = Member
        fields = [
            "display_name",
            "town",
            "bio",
            "avatar",
            "profile_visibility",
            "show_garage",
            "email_invitations",
            "email_reminders",
            "email_community",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4}),
            "profile_visibility": forms.RadioSelect,
        }
        help_texts = {
            "email_invitations": "Invitations to meetups, drives and track days.",
            "email_reminders": "A reminder before events you said you would come to.",
            "email_community": "When your club has news or someone replies to your posts.",
        }

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar is False:
            return False
        if avatar is None:
            return self.instance.avatar
        return avatar


class DeleteAccountForm(forms.Form):
    contributions = forms.ChoiceField(
        label="What should happen to what you posted?",
        choices=[
            ("anonymise", "Keep my posts and comments, shown as “Former member”"),
            ("remove", "Remove my posts, photos and comments"),
        ],
        widget=forms.RadioSelect,
        initial="anonymise",
    )
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(label="I understand that this cannot be undone.")

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
