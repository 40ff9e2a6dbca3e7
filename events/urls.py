from django.urls import path

from events import views, views_links, views_photos, views_series, views_texts

app_name = "events"

urlpatterns = [
    path("my-events/", views.my_events, name="my_events"),
    path("rsvp/renew/", views_links.rsvp_link_renew, name="rsvp_link_renew"),
    path("rsvp/<str:token>/", views_links.rsvp_link, name="rsvp_link"),
    path("events/<int:event_id>/rsvp/", views.rsvp, name="rsvp"),
    path("events/<int:event_id>/route.gpx", views.route_gpx, name="route_gpx"),
    path("events/<int:event_id>/test-drive/", views.test_drive, name="test_drive"),
    path("events/<int:event_id>/waitlist/leave/", views.waitlist_leave, name="waitlist_leave"),
    path("events/<int:event_id>/series/join/", views_series.series_join_view, name="series_join"),
    path(
        "events/<int:event_id>/series/leave/", views_series.series_leave_view, name="series_leave"
    ),
    path("events/<int:event_id>/photos/", views_photos.album, name="album"),
    path("events/<int:event_id>/photos/add/", views_photos.album_add, name="album_add"),
    path("events/<int:event_id>/photos/share.jpg", views_photos.album_share, name="album_share"),
    path("texts/inbound/", views_texts.inbound_text_webhook, name="text_inbound"),
    path("t/<str:code>/", views_texts.text_short_link, name="text_short_link"),
]

from events.urls_feeds import urlpatterns as feed_urlpatterns  # noqa: E402

urlpatterns += feed_urlpatterns

from events.urls_checkin import checkin_urlpatterns  # noqa: E402

urlpatterns += checkin_urlpatterns
