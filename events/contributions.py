"""Events on community's pages: upcoming events on the home page, a club's events on its page
(registered on import, from ``EventsConfig.ready()``; see ``community.contributions``)."""

from django.utils import timezone
from wagtail import hooks

from community.contributions import CLUB_SECTIONS, HOME_SECTIONS
from community.lazy import Lazy
from events.selectors import events_visible_to, upcoming_events


@hooks.register(HOME_SECTIONS)
def upcoming_events_on_home(*, viewer, home) -> dict:
    return {
        "upcoming_events": Lazy(lambda: upcoming_events(viewer=viewer, root=home)),
        "upcoming_event_count": Lazy(
            lambda: (
                events_visible_to(viewer=viewer, root=home).filter(end__gte=timezone.now()).count()
            )
        ),
    }


@hooks.register(CLUB_SECTIONS)
def club_events(*, viewer, club) -> dict:
    return {"club_events": Lazy(lambda: upcoming_events(viewer=viewer, limit=4, host_club=club))}
