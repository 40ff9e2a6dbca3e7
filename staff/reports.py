"""Reports for staff (admin menu "Reports"), each with a chart and CSV / XLSX downloads.

The figures come from functions that return one dict per row (``attendance_rows`` ...), so the
screen, the chart and both downloads always agree; tests read the CSV download.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from community.models import ClubPage, Comment, Member, Membership, OutboundText, Post
from community.texts.selectors import text_delivery_counts
from events.models import EventPage, InboundMessage, Invitation, Rsvp, with_run_group_places
from events.texts import TEXT_KIND as INVITATION_TEXT_KIND
from staff import accessories
from staff.charts import Series, bar_chart, hbar_chart


def _rate(part: int, whole: int) -> str:
    """A percentage as staff read it ("15%"), empty when there is nothing to divide."""
    return f"{round(100 * part / whole)}%" if whole else ""


# --- the figures --------------------------------------------------------------------------------


def attendance_rows() -> list[dict]:
    """Per live event, latest first: answers, places, check-ins and the no-show rate (past events:
    confirmed members who did not check in)."""
    now = timezone.now()
    events = (
        with_run_group_places(EventPage.objects.live())
        .annotate(
            going=Count("rsvps", filter=Q(rsvps__state=Rsvp.State.CONFIRMED)),
            guests=Sum("rsvps__guests", filter=Q(rsvps__state=Rsvp.State.CONFIRMED)),
            waitlisted=Count("rsvps", filter=Q(rsvps__state=Rsvp.State.WAITLISTED)),
            maybe=Count("rsvps", filter=Q(rsvps__answer=Rsvp.Answer.MAYBE)),
            not_going=Count("rsvps", filter=Q(rsvps__answer=Rsvp.Answer.NOT_GOING)),
            checked_in=Count(
                "rsvps",
                filter=Q(rsvps__state=Rsvp.State.CONFIRMED, rsvps__checked_in_at__isnull=False),
            ),
            answers=Count("rsvps"),
        )
        .order_by("-start")
    )
    rows = []
    for event in events:
        past = event.end < now
        no_shows = event.going - event.checked_in if past else None
        rows.append(
            {
                "event": event.title,
                "date": timezone.localtime(event.start).date(),
                "kind": event.get_kind_display(),
                "capacity": "" if event.places_in_all is None else event.places_in_all,
                "rsvps": event.answers,
                "going": event.going,
                "places": event.going + (event.guests or 0),
                "waitlisted": event.waitlisted,
                "maybe": event.maybe,
                "not_going": event.not_going,
                "checked_in": event.checked_in if past else "",
                "no_shows": no_shows if past else "",
                "no_show_rate": _rate(no_shows, event.going) if past else "",
                "past": past,
            }
        )
    return rows


def member_growth_rows(*, today: date | None = None) -> list[dict]:
    """Per month, oldest first, from the first member's month to this one: members who joined
    (staff not counted) and the total at the month's end."""
    today = today or timezone.localdate()
    joined = dict(
        Member.objects.filter(is_staff=False)
        .annotate(month=TruncMonth("date_joined"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    by_month: dict[date, int] = {}
    for month, n in joined.items():
        key = timezone.localtime(month).date().replace(day=1)
        by_month[key] = by_month.get(key, 0) + n
    if not by_month:
        return []
    month, last = min(by_month), today.replace(day=1)
    rows, total = [], 0
    while month <= last:
        new = by_month.get(month, 0)
        total += new
        rows.append(
            {"month": f"{month:%Y-%m}", "short": f"{month:%b %y}", "new": new, "total": total}
        )
        month = (month + timedelta(days=32)).replace(day=1)
    return rows


def club_activity_rows() -> list[dict]:
    """Per live club, busiest first: members, requests waiting, who joined in the last 30 days,
    posts and comments (published) and events hosted."""
    now = timezone.now()
    since = now - timedelta(days=30)
    active = Q(memberships__status=Membership.Status.ACTIVE)

    def count(model, group: str, **filters):
        """How many ``model`` rows per club, as a subquery (``group`` leads to the club)."""
        return Subquery(
            model.objects.filter(**{group: OuterRef("pk")}, **filters)
            .order_by()
            .values(group)
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )

    clubs = (
        ClubPage.objects.live()
        .annotate(
            n_members=Count("memberships", filter=active),
            n_waiting=Count("memberships", filter=Q(memberships__status=Membership.Status.PENDING)),
            n_joined_30=Count("memberships", filter=active & Q(memberships__created_at__gte=since)),
            n_posts=count(Post, "club", status=Post.Status.PUBLISHED),
            n_posts_30=count(Post, "club", status=Post.Status.PUBLISHED, created_at__gte=since),
            n_comments=count(
                Comment,
                "post__club",
                status=Comment.Status.PUBLISHED,
                post__status=Post.Status.PUBLISHED,
            ),
            n_events_past=count(EventPage, "host_club", live=True, end__lt=now),
            n_events_upcoming=count(EventPage, "host_club", live=True, end__gte=now),
        )
        .order_by(F("n_members").desc(), "title")
    )
    return [
        {
            "club": club.title,
            "access": club.get_access_display().split(":")[0],
            "members": club.n_members,
            "waiting": club.n_waiting,
            "joined_30": club.n_joined_30,
            "posts": club.n_posts or 0,
            "posts_30": club.n_posts_30 or 0,
            "comments": club.n_comments or 0,
            "events_past": club.n_events_past or 0,
            "events_upcoming": club.n_events_upcoming or 0,
        }
        for club in clubs
    ]


def invitation_rows() -> list[dict]:
    """Per event with invitations, latest first: the invitation emails sent, failed or still
    queued; the invitation texts sent and what their delivery receipts said; and how invited
    members answered: by the link in the email, by replying to it, by text, on the site. The answer
    rate is over the members an invitation reached (its email or its text was sent)."""
    reply = InboundMessage.objects.filter(
        outcome=InboundMessage.Outcome.APPLIED,
        rsvp__event_id=OuterRef("event_id"),
        rsvp__member_id=OuterRef("member_id"),
    )
    rsvp_source = Rsvp.objects.filter(
        event_id=OuterRef("event_id"), member_id=OuterRef("member_id")
    ).values("source")[:1]
    invitations = (
        Invitation.objects.annotate(
            mail_status=F("message__status"),
            by_reply=Exists(reply),
            answered_via=Subquery(rsvp_source),
        )
        .values_list(
            "event_id", "member_id", "message_id", "mail_status", "by_reply", "answered_via"
        )
        .order_by()
    )
    counts: dict[int, dict] = {}
    invited: dict[int, set[int]] = {}  # per event: the members invited
    reached: dict[int, set[int]] = {}  # per event: those whose email or text was sent
    for event_id, member_id, message_id, status, by_reply, source in invitations:
        row = counts.setdefault(event_id, dict.fromkeys(_INVITATION_COUNTS, 0))
        row["invited"] += 1
        invited.setdefault(event_id, set()).add(member_id)
        reached.setdefault(event_id, set())
        if message_id is not None:  # an invitation by text only has no email
            row[status if status in ("sent", "failed") else "queued"] += 1
            if status == "sent":
                reached[event_id].add(member_id)
        if by_reply:
            row["reply"] += 1
        elif source == Rsvp.Source.EMAIL:
            row["link"] += 1
        elif source == Rsvp.Source.TEXT:
            row["text"] += 1
        elif source is not None:
            row["site"] += 1
    subjects = {f"event:{pk}": pk for pk in counts}
    texted = OutboundText.objects.filter(
        kind=INVITATION_TEXT_KIND, subject__in=list(subjects), status=OutboundText.Status.SENT
    ).values_list("subject", "member_id")
    for subject, member_id in texted:
        event_id = subjects[subject]
        if member_id in invited[event_id]:
            reached[event_id].add(member_id)
    receipts = text_delivery_counts(kind=INVITATION_TEXT_KIND, subjects=list(subjects))
    events = EventPage.objects.filter(pk__in=counts).order_by("-start")
    rows = []
    for event in events:
        row = counts[event.pk]
        texts = receipts.get(f"event:{event.pk}", {})
        answered = row["link"] + row["reply"] + row["text"] + row["site"]
        rows.append(
            {
                "event": event.title,
                "date": timezone.localtime(event.start).date(),
                **{key: row[key] for key in _INVITATION_COUNTS},
                "texts_sent": texts.get("sent", 0),
                "texts_delivered": texts.get("delivered", 0),
                "texts_undelivered": texts.get("undelivered", 0) + texts.get("failed", 0),
                "answered": answered,
                "not_answered": row["invited"] - answered,
                "answer_rate": _rate(answered, len(reached[event.pk])),
            }
        )
    return rows


_INVITATION_COUNTS = ("invited", "sent", "failed", "queued", "link", "reply", "text", "site")


# --- the screens --------------------------------------------------------------------------------


WIDTHS = {"date": "10%", "month": "12%"}


class StaffReportView(ReportView):
    """A report over rows from one of the functions above, with a chart above the table."""

    results_template_name = "staff/report_results.html"
    paginate_by = 100
    intro = ""
    # (attribute name, heading): the downloads' columns, in order; the screen shows
    # ``screen_fields`` of them when set (fewer, so the table fits).
    fields: list[tuple[str, str]] = []
    screen_fields: list[str] = []

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def list_export(self):
        return [name for name, _ in self.fields]

    @property
    def export_headings(self):
        return dict(self.fields)

    @property
    def columns(self):
        shown = self.screen_fields or [name for name, _ in self.fields]
        headings = dict(self.fields)
        return [
            Column(name, label=headings[name], width=WIDTHS.get(name, "24%" if n == 0 else None))
            for n, name in enumerate(shown)
        ]

    def get_filename(self):
        return f"{self.export_filename}-{timezone.localdate():%Y-%m-%d}"

    def rows(self) -> list[dict]:
        raise NotImplementedError

    def get_queryset(self):
        if not hasattr(self, "_rows"):
            self._rows = self.rows()
        return self._rows

    def chart(self, rows):
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["chart"] = self.chart(self.get_queryset())
        context["intro"] = self.intro
        return context


class AttendanceReport(StaffReportView):
    page_title = "Event attendance"
    header_icon = "date"
    index_url_name = "staff:report_attendance"
    export_filename = "event-attendance"
    intro = (
        "Answers and places per event; for past events, who checked in and the no-show rate "
        "(confirmed members who did not check in)."
    )
    fields = [
        ("event", "Event"),
        ("date", "Date"),
        ("kind", "Kind"),
        ("capacity", "Capacity"),
        ("rsvps", "RSVPs"),
        ("going", "Going (confirmed)"),
        ("places", "Places taken"),
        ("waitlisted", "Waitlist"),
        ("maybe", "Maybe"),
        ("not_going", "Not going"),
        ("checked_in", "Checked in"),
        ("no_shows", "No-shows"),
        ("no_show_rate", "No-show rate"),
    ]
    screen_fields = [
        "event",
        "date",
        "capacity",
        "going",
        "places",
        "waitlisted",
        "maybe",
        "checked_in",
        "no_show_rate",
    ]

    def rows(self):
        return attendance_rows()

    def chart(self, rows):
        shown = rows[:12]
        return hbar_chart(
            title="Members per event: who came, who did not, who is coming",
            labels=[f"{r['event']} ({r['date']:%d %b})" for r in shown],
            series=[
                Series("Checked in", [r["checked_in"] or 0 for r in shown], "#2a9d8f"),
                Series("No-shows", [r["no_shows"] or 0 for r in shown], "#e76f51"),
                Series("Coming", [0 if r["past"] else r["going"] for r in shown], "#1d3557"),
                Series("Waitlist", [r["waitlisted"] for r in shown], "#e9c46a"),
            ],
        )


class MemberGrowthReport(StaffReportView):
    page_title = "Member growth"
    header_icon = "group"
    index_url_name = "staff:report_growth"
    export_filename = "member-growth"
    intro = "Members who joined each month (staff not counted) and the total at the month's end."
    fields = [("month", "Month"), ("new", "New members"), ("total", "Members in all")]

    def rows(self):
        return member_growth_rows()

    def chart(self, rows):
        shown = rows[-24:]
        return bar_chart(
            title="Members at the end of each month",
            labels=[r["short"] for r in shown],
            series=[
                Series(
                    "Members (new that month written above)", [r["total"] for r in shown], "#1d3557"
                )
            ],
            notes=[f"+{r['new']}" if r["new"] else "" for r in shown],
        )


class ClubActivityReport(StaffReportView):
    page_title = "Club activity"
    header_icon = "group"
    index_url_name = "staff:report_clubs"
    export_filename = "club-activity"
    intro = (
        "Members, requests waiting, posts, comments and events per club (30 days = the last 30)."
    )
    fields = [
        ("club", "Club"),
        ("access", "Access"),
        ("members", "Members"),
        ("waiting", "Requests waiting"),
        ("joined_30", "Joined (30 days)"),
        ("posts", "Posts"),
        ("posts_30", "Posts (30 days)"),
        ("comments", "Comments"),
        ("events_past", "Events held"),
        ("events_upcoming", "Events coming"),
    ]
    screen_fields = [
        "club",
        "access",
        "members",
        "waiting",
        "joined_30",
        "posts",
        "comments",
        "events_past",
        "events_upcoming",
    ]

    def rows(self):
        return club_activity_rows()

    def chart(self, rows):
        return hbar_chart(
            title="Members and posts per club",
            labels=[r["club"] for r in rows],
            series=[
                Series("Members", [r["members"] for r in rows], "#1d3557"),
                Series("Posts", [r["posts"] for r in rows], "#e9c46a"),
            ],
            stacked=False,
        )


class LeadsReport(StaffReportView):
    page_title = "Leads per accessory"
    header_icon = "tag"
    index_url_name = "staff:report_leads"
    export_filename = "accessory-leads"
    intro = "Questions and reservations per accessory, and how they ended."
    fields = [
        ("accessory", "Accessory"),
        ("part_number", "Part number"),
        ("leads", "Leads"),
        ("asked", "Questions"),
        ("reserved", "Reservations"),
        ("new", "New"),
        ("contacted", "Contacted"),
        ("won", "Won"),
        ("lost", "Lost"),
        ("conversion", "Won of closed"),
    ]

    def rows(self):
        return accessories.leads_per_accessory()

    def chart(self, rows):
        shown = rows[:15]
        return hbar_chart(
            title="Leads per accessory by outcome",
            labels=[r["accessory"] for r in shown],
            series=[
                Series("Won", [r["won"] for r in shown], "#2a9d8f"),
                Series("Lost", [r["lost"] for r in shown], "#e76f51"),
                Series("Open", [r["new"] + r["contacted"] for r in shown], "#8d99ae"),
            ],
        )


class InvitationReport(StaffReportView):
    page_title = "Invitations"
    header_icon = "mail"
    index_url_name = "staff:report_invitations"
    export_filename = "invitations"
    intro = (
        "Per event: invitation emails sent, failed or still queued; invitation texts sent and "
        "whether the phone company delivered them; and how invited members answered: with the "
        "link in the email, by replying to it, by text, or on the site. The answer rate is over "
        "the members an email or a text reached."
    )
    fields = [
        ("event", "Event"),
        ("date", "Date"),
        ("invited", "Invited"),
        ("sent", "Emails sent"),
        ("failed", "Emails failed"),
        ("queued", "Emails queued"),
        ("texts_sent", "Texts sent"),
        ("texts_delivered", "Texts delivered"),
        ("texts_undelivered", "Texts not delivered"),
        ("link", "Answered by link"),
        ("reply", "Answered by reply"),
        ("text", "Answered by text"),
        ("site", "Answered on the site"),
        ("not_answered", "Not answered"),
        ("answer_rate", "Answer rate"),
    ]
    screen_fields = [
        "event",
        "date",
        "invited",
        "sent",
        "failed",
        "texts_sent",
        "texts_delivered",
        "texts_undelivered",
        "link",
        "reply",
        "text",
        "site",
        "not_answered",
        "answer_rate",
    ]

    def rows(self):
        return invitation_rows()

    def chart(self, rows):
        shown = rows[:12]
        return hbar_chart(
            title="How invited members answered",
            labels=[f"{r['event']} ({r['date']:%d %b})" for r in shown],
            series=[
                Series("By link", [r["link"] for r in shown], "#1d3557"),
                Series("By reply", [r["reply"] for r in shown], "#2a9d8f"),
                Series("By text", [r["text"] for r in shown], "#457b9d"),
                Series("On the site", [r["site"] for r in shown], "#e9c46a"),
                Series("Not answered", [r["not_answered"] for r in shown], "#d9d9d9"),
            ],
        )


REPORTS = [
    ("Event attendance", "staff:report_attendance", "date"),
    ("Member growth", "staff:report_growth", "group"),
    ("Club activity", "staff:report_clubs", "group"),
    ("Leads per accessory", "staff:report_leads", "tag"),
    ("Invitations", "staff:report_invitations", "mail"),
]
