from django.apps import AppConfig

from community import private_images, spreadsheets


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # paddock.page_cache imports django.contrib.auth's models: only once the apps are loaded.
        from paddock.page_cache import connect_signals

        # publishing a page or saving a showroom's settings clears cached pages
        connect_signals(settings_model=self.get_model("DealershipSettings"))
        private_images.connect_signals()  # a private club's images are kept private
        spreadsheets.guard_wagtail_exports()  # no cell of any staff download runs as a formula
