"""Admin URLs of the staff tools, under /admin/ (registered by staff/wagtail_hooks.py)."""

from django.urls import path

from staff import reports, views

app_name = "staff"
urlpatterns = [
    path("lounge/", views.LoungeDayView.as_view(), name="lounge"),
    path("lounge/upload/", views.LoungeUploadView.as_view(), name="lounge_upload"),
    path("lounge/imports/<int:pk>/", views.LoungeReviewView.as_view(), name="lounge_review"),
    path(
        "lounge/ready-text/<int:pk>/",
        views.LoungeReadyTextView.as_view(),
        name="lounge_ready_text",
    ),
    path("members/<int:pk>/card/", views.OwnerCardView.as_view(), name="owner_card"),
    path("members/<int:pk>/card/text/", views.OwnerCardTextView.as_view(), name="owner_text"),
    path("members/<int:pk>/card/lead/", views.OwnerCardLeadView.as_view(), name="owner_lead"),
    path("reports/attendance/", reports.AttendanceReport.as_view(), name="report_attendance"),
    path("reports/member-growth/", reports.MemberGrowthReport.as_view(), name="report_growth"),
    path("reports/clubs/", reports.ClubActivityReport.as_view(), name="report_clubs"),
    path("reports/leads/", reports.LeadsReport.as_view(), name="report_leads"),
    path("reports/invitations/", reports.InvitationReport.as_view(), name="report_invitations"),
]
