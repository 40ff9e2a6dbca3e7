"""``/csrf/``: a CSRF token for a form on a page that came from the page cache.

A visitor's page is kept for everyone (paddock.page_cache), so it cannot carry one visitor's CSRF
token; a form on it (the accessory lead form) has an empty ``csrfmiddlewaretoken`` field, and
static/js/paddock.js fills it from here on the form's first focus or, at the latest, when it is
sent. The answer sets the CSRF cookie (HttpOnly: scripts read the token here, never the cookie),
is ``private, no-store`` and is never page-cached (it is not in ``PADDOCK_PAGE_CACHE_VIEWS``,
and it sets a cookie).
"""

from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET


@require_GET
def csrf_token(request):
    response = JsonResponse({"token": get_token(request)})
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ["Cookie"])
    response["X-Robots-Tag"] = "noindex"
    return response
