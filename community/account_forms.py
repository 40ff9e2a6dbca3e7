"""allauth's forms in the site's words (``ACCOUNT_FORMS``).

Apart from community/forms.py, which allauth imports while it builds its own forms
(``ACCOUNT_SIGNUP_FORM_CLASS``): importing allauth's forms from there would be circular.
"""

from allauth.account import forms as allauth_forms


class LoginForm(allauth_forms.LoginForm):
    """allauth's sign-in form in the site's words (``ACCOUNT_FORMS["login"]``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remember"].label = "Keep me signed in on this device"
        self.fields["login"].widget.attrs["placeholder"] = "you@example.com"
        self.fields["password"].widget.attrs.pop("placeholder", None)
