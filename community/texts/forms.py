"""The member's "Texts to your mobile" form (/account/texts/): number, code, consent, channels."""

from django import forms

from community.models import Channel, MemberMobile
from community.texts.channels import TEXT_KINDS
from community.texts.phones import mobile_display


class MobileForm(forms.Form):
    """One form for every step, so an error on one field keeps everything else typed."""

    number = forms.CharField(
        label="Mobile number",
        max_length=40,
        required=False,
        help_text="As you would dial it, e.g. 07911 123456, or with its country code.",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    code = forms.CharField(
        label="Code from the text",
        max_length=12,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}
        ),
    )
    consent = forms.BooleanField(required=False)

    def __init__(self, *args, mobile: MemberMobile | None, consent_wording: str, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if mobile is not None:
            initial.setdefault("number", mobile_display(mobile.number))
            initial.setdefault("consent", bool(mobile.consent_at))
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["code"].hide_optional = True
        self.fields["number"].hide_optional = True
        self.fields["consent"].label = consent_wording
        for kind, (label, _email_field) in TEXT_KINDS.items():
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Channel.choices,
                widget=forms.RadioSelect,
                initial=getattr(mobile, kind) if mobile else Channel.EMAIL,
            )

    def channel_fields(self):
        return [self[kind] for kind in TEXT_KINDS]

    def channels(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in TEXT_KINDS}
