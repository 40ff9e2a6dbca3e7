from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from paddock.csrf import csrf_token
from paddock.health import health

urlpatterns = [
    path("health/", health, name="health"),  # load balancers and monitoring: see paddock/health.py
    path("csrf/", csrf_token, name="csrf_token"),  # for forms on cached pages: see paddock/csrf.py
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("anymail/", include("anymail.urls")),  # inbound mail webhooks
    path("sitemap.xml", sitemap),
    path("", include("community.urls")),
    path("", include("events.urls")),
    path("", include("accessories.urls")),
]

if settings.DEBUG and "://" not in settings.MEDIA_URL:
    # The local run serves media itself, all but Wagtail's original images (paddock/media.py).
    from paddock.media import serve_public_media

    urlpatterns.append(
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_public_media)
    )

urlpatterns.append(path("", include(wagtail_urls)))
