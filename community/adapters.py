from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from community.models import DealershipSettings
from community.showrooms import absolute_url, default_site, sender_address, site_for_request


class AccountAdapter(DefaultAccountAdapter):
    """Paddock's account rules on top of allauth's."""

    def save_user(self, request, user, form, commit=True):
        # The sign-up form's name and town are set before the first save, so the member's public
        # handle is built from their chosen name (never from their email address).
        user.display_name = form.cleaned_data.get("display_name", "").strip()
        user.town = form.cleaned_data.get("town", "").strip()
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request):
        # Staff come to run the site: they land on the admin's dashboard. Members keep landing on
        # their garage (LOGIN_REDIRECT_URL); a ``next`` address still wins for both.
        user = request.user
        if user.is_active and user.is_staff:
            return reverse("wagtailadmin_home")
        return super().get_login_redirect_url(request)

    # Links in allauth's mails follow Paddock's one rule (community.showrooms.absolute_url), so a
    # verification or reset link points where every other mail's links do.
    def get_email_confirmation_url(self, request, emailconfirmation):
        path = reverse("account_confirm_email", args=[emailconfirmation.key])
        return absolute_url(path, request=request or getattr(self, "request", None))

    def get_reset_password_from_key_url(self, key):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        path = path.replace("UID-KEY", quote(key))
        return absolute_url(path, request=getattr(self, "request", None))

    def send_mail(self, template_prefix, email, context):
        request = context.get("request") or getattr(self, "request", None)
        # allauth builds the links of the "unknown account" and "account already exists" mails
        # from the request itself: the same rule instead. (In the reset mail itself,
        # password_reset_url is the key link from get_reset_password_from_key_url.)
        if template_prefix in (
            "account/email/unknown_account",
            "account/email/account_already_exists",
        ):
            for key, name in (
                ("signup_url", "account_signup"),
                ("password_reset_url", "account_reset_password"),
            ):
                if key in context:
                    context[key] = absolute_url(reverse(name), request=request)
        if request is not None and "dealership" not in context:
            context["dealership"] = DealershipSettings.for_request(request)
        return super().send_mail(template_prefix, email, context)

    def get_from_email(self):
        # Sign-up and password mails come from the showroom, by name, like every other mail.
        request = getattr(self, "request", None)
        return sender_address(site_for_request(request) if request else default_site())

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth keys the per-account limit on failed logins by host and email. One member
        # account works on every showroom (Site) Paddock serves, so the key is the email alone:
        # switching the Host header does not buy an attacker a fresh set of guesses.
        login = credentials.get("email", credentials.get("username", ""))
        return f"login:{login.strip().lower()}"
