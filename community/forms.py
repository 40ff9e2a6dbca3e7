from django import forms
from django.utils import timezone

from community.models import Car, CarModel, ClubPage, Member, Membership, Post, Report
from community.uploads import ACCEPT_ATTRIBUTE, PhotoField, clean_photo_uploads
from community.vins import vin_normalise


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
    photo = PhotoField(required=False, help_text="JPEG, PNG, WebP, GIF or HEIC, up to 10 MB.")

    class Meta:
        model = Car
        # The VIN first: the garage decodes it and offers to fill in the model and year.
        fields = [
            "vin",
            "car_model",
            "year",
            "trim",
            "colour",
            "nickname",
            "registration",
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
        self.fields["vin"].wide = True
        self.fields["registration"].widget.attrs.update({"autocapitalize": "characters"})

    def clean_vin(self):
        return vin_normalise(self.cleaned_data["vin"])

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo is False:  # "clear" ticked: the model field is emptied
            return False
        if photo is None:  # nothing uploaded: keep what is saved
            return self.instance.photo if self.instance.pk else None
        return photo


class ProfileForm(forms.ModelForm):
    avatar = PhotoField(
        label="Profile photo",
        required=False,
        help_text="JPEG, PNG, WebP, GIF or HEIC, up to 10 MB.",
    )

    class Meta:
        model = Member
        fields = [
            "display_name",
            "town",
            "phone",
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
            "phone": "Only you and dealership staff see it; the workshop recognises you by it.",
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


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.Field):
    """Several uploaded files; each is checked by PostForm.clean_photos, which names the bad ones."""

    widget = MultiplePhotoInput

    def to_python(self, data):
        if not data:
            return []
        return list(data) if isinstance(data, (list, tuple)) else [data]


class PostForm(forms.Form):
    """A story (text) or a photo album (1-20 photos); captions are given per photo after upload."""

    kind = forms.ChoiceField(
        label="What are you sharing?",
        choices=Post.Kind.choices,
        widget=forms.RadioSelect,
        initial=Post.Kind.STORY,
    )
    club = forms.ModelChoiceField(
        label="Where",
        queryset=ClubPage.objects.none(),
        required=False,
        empty_label="The community feed",
    )
    title = forms.CharField(max_length=140)
    body = forms.CharField(
        label="Your story",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Plain text is fine: leave an empty line between paragraphs.",
    )
    photos = MultiplePhotoField(
        label="Photos",
        required=False,
        widget=MultiplePhotoInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text="Up to 20 photos: JPEG, PNG, WebP, GIF or HEIC, 10 MB each.",
    )
    captions = forms.CharField(
        label="Captions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One line per photo, in the order you chose them.",
    )

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["club"].queryset = ClubPage.objects.filter(
            memberships__member=member, memberships__status=Membership.Status.ACTIVE
        ).order_by("title")

    def clean_photos(self):
        from django.conf import settings

        files = self.cleaned_data.get("photos") or []
        limit = settings.PADDOCK_MAX_ALBUM_PHOTOS
        if len(files) > limit:
            raise forms.ValidationError(
                f"An album has at most {limit} photos; you chose {len(files)}."
            )
        return clean_photo_uploads(files)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Post.Kind.ALBUM and not data.get("photos") and "photos" not in self.errors:
            self.add_error("photos", "Choose at least one photo for an album.")
        if kind == Post.Kind.STORY and not (data.get("body") or "").strip():
            self.add_error("body", "Write your story.")
        captions = (data.get("captions") or "").splitlines()
        data["photo_pairs"] = [
            (photo, captions[i] if i < len(captions) else "")
            for i, photo in enumerate(data.get("photos") or [])
        ]
        return data


class PostEditForm(forms.Form):
    title = forms.CharField(max_length=140)
    body = forms.CharField(label="Text", required=False, widget=forms.Textarea(attrs={"rows": 8}))


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Add a comment", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong?", choices=Report.Reason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label="Anything else we should know?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("approve", "Approve"), ("hide", "Hide"), ("remove", "Remove")]
    )
    reason = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed to hide or remove; the author receives it by email.",
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label="Member's email address")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        member = Member.objects.filter(email__iexact=email, is_active=True).first()
        if member is None:
            raise forms.ValidationError("No member has this email address. Ask them to join first.")
        self.cleaned_data["member"] = member
        return email
