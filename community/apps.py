from django.apps import AppConfig

from community import private_images


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from community.models import DealershipSettings
        from paddock.page_cache import connect_signals

        connect_signals(
            settings_model=DealershipSettings
        )  # publishing a page or saving a showroom's settings clears cached pages
        private_images.connect_signals()  # a private club's images are kept private

        from community.spreadsheets import guard_wagtail_exports

        guard_wagtail_exports()  # no cell of any staff download runs as a formula
