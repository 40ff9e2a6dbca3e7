"""Content-Security-Policy for every response.

The public site runs no inline script and no inline style: every script and stylesheet is a file
under /static/ (or /theme.css), so its policy is strict. The Wagtail admin (and its previews, which
it frames) ships inline scripts and styles of its own, so paths under the admin get a looser policy
that still allows nothing from other origins.
"""

from django.conf import settings
from django.urls import reverse

HEADER = "Content-Security-Policy"


def build_policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(
        " ".join([name, *values]) if values else name for name, values in directives.items()
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.public_policy = build_policy(settings.PADDOCK_CSP)
        self.admin_policy = build_policy(settings.PADDOCK_CSP_ADMIN)
        self._admin_prefix = None

    @property
    def admin_prefix(self) -> str:
        if self._admin_prefix is None:
            self._admin_prefix = reverse("wagtailadmin_home")
        return self._admin_prefix

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.admin_prefix):
            # Always the admin's: a page preview is rendered through the middleware a second time
            # for the page's own (public) path, and the admin must be able to frame it.
            response[HEADER] = self.admin_policy
        elif HEADER not in response:
            response[HEADER] = self.public_policy
        return response
