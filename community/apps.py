from django.apps import AppConfig

from community import private_images


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from paddock.page_cache import connect_signals

        connect_signals()  # publishing a page or saving a showroom's settings clears cached pages
        private_images.connect_signals()  # a private club's images are kept private
