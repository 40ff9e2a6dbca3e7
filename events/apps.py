from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Record time, venue and cancellation changes however a page is published (admin,
        # scheduled publishing, shell), not only when the admin's hooks happen to be loaded.
        # Imported here: these modules import the models, which load only after this module.
        from anymail.signals import inbound

        from events import (
            contributions,  # noqa: F401  (registers events' sections on community's pages)
            notifications,  # noqa: F401  (registers its outbox renderers: web and workers alike)
            signals,
        )
        from events.inbound import anymail_inbound_receiver

        signals.connect()
        inbound.connect(anymail_inbound_receiver, dispatch_uid="paddock.inbound.anymail")
