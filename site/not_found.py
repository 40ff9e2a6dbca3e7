"""The designed 404 page under DEBUG as well (``make run``).

With DEBUG on, Django answers a missing page with its technical 404 page, whose inline styles the
Content Security Policy blocks, so a visitor trying the local site sees an unstyled list of URL
patterns. This middleware shows templates/404.html instead, exactly as production does; with
DEBUG off it does nothing (Django's own ``handler404`` already renders that template).
"""

from django.conf import settings
from django.http import Http404
from django.views.defaults import page_not_found


class DesignedNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            # No URL pattern matched: Django's technical 404 was made while resolving.
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
