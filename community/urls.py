from django.urls import path

from community import views

app_name = "community"

urlpatterns = [
    path("theme.css", views.theme_css, name="theme_css"),
    path("garage/", views.garage, name="garage"),
    path("garage/add/", views.car_add, name="car_add"),
    path("garage/<int:pk>/edit/", views.car_edit, name="car_edit"),
    path("garage/<int:pk>/remove/", views.car_delete, name="car_delete"),
    path("members/<slug:handle>/", views.profile, name="profile"),
    path("account/profile/", views.profile_edit, name="profile_edit"),
    path("account/my-data/", views.data_export, name="data_export"),
    path("account/delete/", views.account_delete, name="account_delete"),
]
