"""The community admin's ViewSets: the garage snippets (car models, members' cars) and the
"Community" menu (moderation queue, posts, comments, reports, club members, sent emails)."""

from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from community.admin_forms import MembershipAdminForm, ModerationAdminForm
from community.admin_views import (
    CarFilterSet,
    CommentEditView,
    MembershipEditView,
    MembershipFilterSet,
    ModerationIndexView,
    NoAddPermissionPolicy,
    PostEditView,
    PostFilterSet,
    PostIndexView,
    ReadOnlyPermissionPolicy,
)
from community.models import Car, CarModel, Comment, Membership, OutboundEmail, Post, Report
from community.texts.admin_viewsets import OutboundTextViewSet


class CarModelViewSet(SnippetViewSet):
    model = CarModel
    icon = "tag"
    menu_label = "Car models"
    list_display = ["make", "name", "first_year", "last_year"]
    list_filter = ["make"]
    search_fields = ["make", "name"]
    ordering = ["make", "name"]


class CarViewSet(SnippetViewSet):
    model = Car
    icon = "list-ul"
    menu_label = "Members' cars"
    list_display = ["__str__", "owner", "registration", "bought_here", "created_at"]
    list_export = [
        "owner",
        "car_model",
        "year",
        "trim",
        "colour",
        "registration",
        "vin",
        "bought_on",
        "bought_here",
    ]
    filterset_class = CarFilterSet
    search_fields = ["registration", "vin", "nickname", "owner__display_name", "owner__email"]
    ordering = ["-created_at"]
    inspect_view_enabled = True


class GarageGroup(SnippetViewSetGroup):
    items = (CarModelViewSet, CarViewSet)
    menu_icon = "tag"
    menu_label = "Garage"
    menu_name = "garage"


class PostViewSet(ModelViewSet):
    model = Post
    icon = "doc-full"
    menu_label = "Member posts"
    index_view_class = PostIndexView
    list_display = [
        "title",
        Column("author_name", label="Author"),
        "club",
        "status",
        Column("open_report_count", label="Open reports", sort_key="open_report_count"),
        "created_at",
    ]
    list_export = ["title", "author_name", "club", "status", "featured", "created_at"]
    filterset_class = PostFilterSet
    search_fields = ["title", "body", "author__display_name"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    copy_view_enabled = False

    @property
    def permission_policy(self):
        # Members post on the site; staff moderate here but never write posts in the admin.
        return NoAddPermissionPolicy(self.model)

    edit_view_class = PostEditView
    edit_handler = ObjectList(
        [
            HelpPanel(template="community/admin/post_preview.html", heading="The post"),
            FieldPanel("action"),
            FieldPanel("reason"),
            FieldPanel("featured"),
        ],
        base_form_class=ModerationAdminForm,
    )


class ModerationQueueViewSet(PostViewSet):
    """Posts waiting for approval or with an open report: what staff work through each day."""

    menu_label = "Moderation queue"
    icon = "warning"
    name = "moderation"
    url_prefix = "moderation"
    index_view_class = ModerationIndexView


class CommentViewSet(ModelViewSet):
    model = Comment
    icon = "comment"
    menu_label = "Comments"
    list_display = ["__str__", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["body"]
    ordering = ["-created_at"]
    edit_view_class = CommentEditView
    edit_handler = ObjectList(
        [
            HelpPanel(template="community/admin/comment_preview.html", heading="The comment"),
            FieldPanel("action"),
            FieldPanel("reason"),
        ],
        base_form_class=ModerationAdminForm,
    )


class ReportViewSet(ModelViewSet):
    model = Report
    icon = "flag"
    menu_label = "Reports"
    list_display = ["__str__", "reporter", "created_at", "resolved_at"]
    list_filter = ["reason"]
    ordering = ["resolved_at", "-created_at"]
    inspect_view_enabled = True
    form_fields = ["details"]


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "group"
    menu_label = "Club members"
    list_display = ["member", "club", "status", "role", "created_at"]
    list_export = ["member", "club", "status", "role", "created_at", "decided_at"]
    filterset_class = MembershipFilterSet
    search_fields = ["member__display_name", "member__email"]
    ordering = ["status", "-created_at"]
    edit_view_class = MembershipEditView
    edit_handler = ObjectList(
        [FieldPanel("role"), FieldPanel("decision")], base_form_class=MembershipAdminForm
    )


class OutboundEmailViewSet(ModelViewSet):
    """Every email Paddock sent or is about to send: the local mailbox when no SMTP server is set."""

    model = OutboundEmail
    icon = "mail"
    menu_label = "Sent emails"
    name = "outbox"
    url_prefix = "outbox"
    list_display = ["subject", "to", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "to",
        "subject",
        "kind",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
        "body",
    ]
    copy_view_enabled = False
    form_fields = ["subject"]

    @property
    def permission_policy(self):
        return ReadOnlyPermissionPolicy(self.model)


class CommunityGroup(ViewSetGroup):
    items = (
        ModerationQueueViewSet,
        PostViewSet,
        CommentViewSet,
        ReportViewSet,
        MembershipViewSet,
        OutboundEmailViewSet,
        OutboundTextViewSet,
    )
    menu_icon = "group"
    menu_label = "Community"
    menu_name = "community"
    menu_order = 150
