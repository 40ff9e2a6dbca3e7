from django.apps import AppConfig


class AccessoriesConfig(AppConfig):
    name = "accessories"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: contributions reads the models, which load only after this module.
        from accessories import contributions  # noqa: F401  (registers sections on lower apps' pages)
