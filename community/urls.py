from django.urls import path
from django.views.generic import RedirectView

from community import views, views_posts
from community.leads import views as views_leads
from community.texts import views as views_texts
from community.texts import webhooks as webhooks_texts

app_name = "community"

urlpatterns = [
    path("theme.css", views.theme_css, name="theme_css"),
    path("favicon.svg", views.favicon, name="favicon"),
    # Browsers and feed readers that ignore <link rel="icon"> still ask for /favicon.ico.
    path("favicon.ico", RedirectView.as_view(pattern_name="community:favicon", permanent=True)),
    path("garage/", views.garage, name="garage"),
    path("garage/add/", views.car_add, name="car_add"),
    path("garage/vin/", views.car_vin_decode, name="car_vin_decode"),
    path("garage/<int:pk>/edit/", views.car_edit, name="car_edit"),
    path("garage/<int:pk>/remove/", views.car_delete, name="car_delete"),
    path("garage/<int:pk>/worth/", views_leads.car_worth, name="car_worth"),
    path("members/<slug:handle>/", views.profile, name="profile"),
    path("account/profile/", views.profile_edit, name="profile_edit"),
    path("account/next-car/", views_leads.next_car, name="next_car"),
    path("account/texts/", views_texts.mobile_texts, name="mobile_texts"),
    path("texts/status/", webhooks_texts.text_status_webhook, name="text_status"),
    path("account/my-data/", views.data_export, name="data_export"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("community/", views_posts.community_feed, name="feed"),
    path("community/new/", views_posts.post_create, name="post_create"),
    path("community/posts/<int:pk>/", views_posts.post_detail, name="post"),
    path("community/posts/<int:pk>/edit/", views_posts.post_edit, name="post_edit"),
    path("community/posts/<int:pk>/delete/", views_posts.post_delete, name="post_delete"),
    path("community/posts/<int:pk>/comment/", views_posts.comment_create, name="comment_create"),
    path("community/posts/<int:pk>/react/", views_posts.reaction_toggle, name="react"),
    path(
        "community/posts/<int:pk>/report/",
        views_posts.report,
        {"target": "post"},
        name="report_post",
    ),
    path(
        "community/comments/<int:pk>/report/",
        views_posts.report,
        {"target": "comment"},
        name="report_comment",
    ),
    path(
        "community/posts/<int:pk>/moderate/",
        views_posts.moderate,
        {"target": "post"},
        name="moderate_post",
    ),
    path(
        "community/comments/<int:pk>/moderate/",
        views_posts.moderate,
        {"target": "comment"},
        name="moderate_comment",
    ),
    path("photos/<int:pk>/<str:variant>/", views_posts.photo, name="photo"),
    path("club-images/<str:name>", views_posts.club_image, name="club_image"),
    path("clubs/<int:club_id>/join/", views_posts.club_join, name="club_join"),
    path("clubs/<int:club_id>/leave/", views_posts.club_leave, name="club_leave"),
    path("clubs/<int:club_id>/invitation/", views_posts.club_invitation, name="club_invitation"),
    path("clubs/<int:club_id>/manage/", views_posts.club_manage, name="club_manage"),
    path(
        "clubs/<int:club_id>/requests/<int:membership_id>/",
        views_posts.membership_decide,
        name="membership_decide",
    ),
]
