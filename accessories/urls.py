from django.urls import path

from accessories import views

app_name = "accessories"

urlpatterns = [
    path("accessories/<int:page_id>/ask/", views.lead_send, name="lead_send"),
    path(
        "accessories/leads/<int:lead_id>/handed-over/",
        views.lead_handed_over,
        name="lead_handed_over",
    ),
]
