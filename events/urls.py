from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("events/<int:event_id>/rsvp/", views.rsvp, name="rsvp"),
    path("events/<int:event_id>/waitlist/leave/", views.waitlist_leave, name="waitlist_leave"),
]
