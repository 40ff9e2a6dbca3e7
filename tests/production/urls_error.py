"""The site's URLs plus one view that fails, to see the 500 page a visitor would get."""

from django.urls import path

from paddock.urls import urlpatterns as site_urlpatterns


def fail(request):
    raise RuntimeError("database password is hunter2 (this text must never reach a visitor)")


urlpatterns = [path("fail/", fail), *site_urlpatterns]
