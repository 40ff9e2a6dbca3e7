"""The events page's filters: the Month filter is a list of the months that have events."""

import pytest

from tests.factories import event_index, make_event

pytestmark = pytest.mark.django_db


def test_month_filter_offers_each_month_with_an_event(client):
    event = make_event(days_ahead=40)
    html = client.get(event_index().url).content.decode()
    value = event.start.astimezone().strftime("%Y-%m")
    assert f'<option value="{value}">' in html
    assert event.start.astimezone().strftime("%B %Y") in html


def test_month_filter_keeps_the_chosen_month_selected(client):
    event = make_event(days_ahead=40)
    value = event.start.strftime("%Y-%m")
    html = client.get(event_index().url, {"month": value}).content.decode()
    assert f'<option value="{value}" selected>' in html


def test_month_filter_shows_only_that_months_events(client):
    make_event("Soon", days_ahead=1)
    later = make_event("Much later", days_ahead=120)
    html = client.get(event_index().url, {"month": later.start.strftime("%Y-%m")}).content.decode()
    assert "Much later" in html and "Soon" not in html
