from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed for the ``seed_demo`` management command; the demo has no models."""

    name = "demo"
    verbose_name = "Demo dealership"
