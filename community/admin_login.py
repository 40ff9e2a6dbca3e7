"""The Wagtail admin's login form, throttled like the site's.

Wagtail's own form calls Django's ``authenticate`` directly, which counts nothing. This one goes
through allauth's adapter instead, so a wrong password at /admin/login/ uses up the same budget as
one at /accounts/login/: per account (the email address, whatever the host) and per client IP
(taken from X-Forwarded-For only as far as ALLAUTH_TRUSTED_PROXY_COUNT trusts it).
"""

from allauth.account.adapter import get_adapter
from wagtail.admin.forms.auth import LoginForm


class ThrottledLoginForm(LoginForm):
    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            # Raises a ValidationError ("Too many failed login attempts") once over the limit.
            self.user_cache = get_adapter(self.request).authenticate(
                self.request, email=email.strip(), password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
