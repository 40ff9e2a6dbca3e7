"""Panels on the Wagtail admin's home page: what staff look at first every morning.

Each panel runs a fixed number of queries, however many events, members and leads there are
(tests/staff/test_dashboard.py compares 2 of each with 20).
"""

from datetime import timedelta

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from community.models import Car, Comment, Member, Membership, Post, Report
from community.texts.selectors import conversations_unread
from events.models import EventPage
from events.selectors import attach_places, with_places
from staff import accessories
from staff.selectors import car_age_limit_year

LIMIT = 6


def _staff(parent_context) -> bool:
    user = parent_context["request"].user
    return user.is_active and user.is_staff


class DashboardPanel(Component):
    def render_html(self, parent_context=None):
        if not _staff(parent_context or {}):
            return ""
        return super().render_html(parent_context)


class OwnerTextsPanel(DashboardPanel):
    """Texts from the signed-in advisor's owners not read yet, and from owners with no advisor."""

    name = "paddock_owner_texts"
    template_name = "staff/dashboard/owner_texts.html"
    order = 40

    def get_context_data(self, parent_context):
        count, owners = conversations_unread(advisor=parent_context["request"].user, limit=LIMIT)
        others, unassigned = conversations_unread(advisor=None, limit=LIMIT)
        return {"count": count, "owners": owners, "others": others, "unassigned": unassigned}


class UpcomingEventsPanel(DashboardPanel):
    name = "paddock_upcoming_events"
    template_name = "staff/dashboard/upcoming_events.html"
    order = 50

    def get_context_data(self, parent_context):
        events = list(
            with_places(EventPage.objects.live().filter(end__gte=timezone.now())).order_by("start")[
                :LIMIT
            ]
        )
        for event in events:
            attach_places(event)  # places taken and left as the event page counts them
            capacity = event.places_in_all  # the page's rule: a track day's are its run groups'
            event.fill = min(100, round(100 * event.places_taken / capacity)) if capacity else None
        return {"events": events, "rsvps_url": reverse("event_rsvps:index")}


class ModerationPanel(DashboardPanel):
    name = "paddock_moderation"
    template_name = "staff/dashboard/moderation.html"
    order = 60

    def get_context_data(self, parent_context):
        open_reports = Report.objects.filter(resolved_at__isnull=True)
        counts = Post.objects.aggregate(
            pending=Count("pk", filter=Q(status=Post.Status.PENDING)),
            reported=Count(
                "pk",
                filter=Q(Exists(open_reports.filter(post=OuterRef("pk")))),
            ),
        )
        comments_reported = (
            Comment.objects.filter(Exists(open_reports.filter(comment=OuterRef("pk"))))
            .order_by()
            .count()
        )
        requests = Membership.objects.filter(status=Membership.Status.PENDING).count()
        return {
            "pending_posts": counts["pending"],
            "reported_posts": counts["reported"],
            "reported_comments": comments_reported,
            "club_requests": requests,
            "total": counts["pending"] + counts["reported"] + comments_reported + requests,
            "moderation_url": reverse("moderation:index"),
            "comments_url": reverse("comment:index"),
            "memberships_url": reverse("membership:index") + "?status=pending",
        }


class NewLeadsPanel(DashboardPanel):
    name = "paddock_new_leads"
    template_name = "staff/dashboard/new_leads.html"
    order = 70

    def get_context_data(self, parent_context):
        count, leads = accessories.new_leads(limit=LIMIT)
        return {
            "count": count,
            "leads": leads,
            "today": accessories.leads_today_by_kind(),
            "available": accessories.available(),
        }


class NewMembersPanel(DashboardPanel):
    name = "paddock_new_members"
    template_name = "staff/dashboard/new_members.html"
    order = 80

    def get_context_data(self, parent_context):
        since = timezone.now() - timedelta(days=7)
        qs = Member.objects.filter(is_staff=False, date_joined__gte=since)
        members = list(qs.annotate(car_count=Count("cars")).order_by("-date_joined")[:LIMIT])
        return {"count": qs.count(), "members": members}


class OldCarsPanel(DashboardPanel):
    """Owners whose car is over four years old: the moment to talk about the next one."""

    name = "paddock_old_cars"
    template_name = "staff/dashboard/old_cars.html"
    order = 90

    def get_context_data(self, parent_context):
        limit_year = car_age_limit_year()
        old = Car.objects.filter(year__lte=limit_year)
        owners = Member.objects.filter(
            is_active=True, is_staff=False, cars__year__lte=limit_year
        ).distinct()
        # The owners with the oldest cars first, each shown with their oldest car.
        oldest = old.filter(owner=OuterRef("pk")).order_by("year", "pk").values("pk")[:1]
        rows = list(
            Member.objects.filter(pk__in=owners.values("pk"))
            .annotate(oldest_year=Min("cars__year"), oldest_car_id=Subquery(oldest))
            .select_related("advisor")
            .order_by("oldest_year", "display_name")[:LIMIT]
        )
        cars = Car.objects.select_related("car_model").in_bulk([m.oldest_car_id for m in rows])
        for member in rows:
            member.oldest_car = cars.get(member.oldest_car_id)
        return {"count": owners.count(), "owners": rows, "limit_year": limit_year}


PANELS = [
    OwnerTextsPanel,
    UpcomingEventsPanel,
    ModerationPanel,
    NewLeadsPanel,
    NewMembersPanel,
    OldCarsPanel,
]
