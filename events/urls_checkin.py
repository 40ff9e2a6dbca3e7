"""The staff check-in pages; events/urls.py adds them to its ``urlpatterns`` (namespace "events")."""

from django.urls import path

from events import views_checkin

checkin_urlpatterns = [
    path("events/<int:event_id>/checkin/", views_checkin.checkin_page, name="checkin"),
    path("events/<int:event_id>/checkin/tick/", views_checkin.checkin_tick, name="checkin_tick"),
    path("events/<int:event_id>/checkin/undo/", views_checkin.checkin_undo, name="checkin_undo"),
    path("events/<int:event_id>/checkin/code/", views_checkin.checkin_code, name="checkin_code"),
    path(
        "events/<int:event_id>/checkin/walk-in/",
        views_checkin.checkin_walk_in,
        name="checkin_walk_in",
    ),
    path(
        "events/<int:event_id>/checkin/attendees.csv",
        views_checkin.checkin_csv,
        name="checkin_csv",
    ),
]
