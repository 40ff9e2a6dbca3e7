"""Form fields the staff screens share: an event is named by its date and title."""

from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format


def event_label(event) -> str:
    local = timezone.localtime(event.start, ZoneInfo(settings.TIME_ZONE))
    return f"{date_format(local, 'D j M Y')} · {event.title}"


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return event_label(obj)
