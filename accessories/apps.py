from django.apps import AppConfig


class AccessoriesConfig(AppConfig):
    name = "accessories"
    default_auto_field = "django.db.models.BigAutoField"
