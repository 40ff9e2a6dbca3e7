"""Events -> Series: staff create a series and its dates are published as event pages at once;
editing it publishes any date the rule now gives that has no page yet. One date is skipped or
moved on its own page (cancel it, or change its start), which leaves the others alone."""

from django.db.models import Count, Q
from wagtail.admin.views.generic import CreateView, EditView, IndexView

from events.models import EventPage
from events.services.series import series_dates_publish


class _PublishDatesMixin:
    def save_instance(self):
        instance = super().save_instance()
        self.published = series_dates_publish(series=instance)
        return instance

    def get_success_message(self, *args):
        message = super().get_success_message(*args)
        count = len(getattr(self, "published", []))
        if count:
            message = f"{message} {count} date{'s' if count != 1 else ''} published."
        return message


class SeriesCreateView(_PublishDatesMixin, CreateView):
    pass


class SeriesEditView(_PublishDatesMixin, EditView):
    pass


class SeriesIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(
                dates_count=Count("dates"),
                skipped_count=Count("dates", filter=Q(dates__status=EventPage.Status.CANCELLED)),
                members_count=Count(
                    "members", filter=Q(members__left_at__isnull=True), distinct=True
                ),
            )
        )
