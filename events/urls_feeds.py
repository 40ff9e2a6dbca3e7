"""Calendar feed URLs, appended to ``events.urls`` (namespace ``events``)."""

from django.urls import path

from events import feeds

urlpatterns = [
    path("clubs/<int:club_id>/events.ics", feeds.club_feed, name="club_feed"),
    path("events/my/<str:token>.ics", feeds.my_feed, name="my_feed"),
]
