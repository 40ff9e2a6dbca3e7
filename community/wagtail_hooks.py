"""Admin screens for the community app."""

from django.db.models import Count, Q
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from community.admin_forms import MembershipAdminForm, ModerationAdminForm
from community.models import Car, CarModel, Comment, Membership, OutboundEmail, Post, Report


class CarModelViewSet(SnippetViewSet):
    model = CarModel
    icon = "tag"
    menu_label = "Car models"
    list_display = ["make", "name", "first_year", "last_year"]
    list_filter = ["make"]
    search_fields = ["make", "name"]
    ordering = ["make", "name"]


class CarFilterSet(WagtailFilterSet):
    class Meta:
        model = Car
        fields = ["car_model__make", "car_model", "bought_here"]


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


register_snippet(GarageGroup)


# --- Moderation ----------------------------------------------------------------------------------


class PostFilterSet(WagtailFilterSet):
    class Meta:
        model = Post
        fields = ["status", "kind", "club", "featured"]


class PostEditView(EditView):
    def save_instance(self):
        from community import services

        post = self.form.save(commit=False)
        data = self.form.cleaned_data
        if data.get("action"):
            services.post_moderate(
                post=post,
                by=self.request.user,
                action=data["action"],
                reason=data.get("reason", ""),
            )
        services.post_feature(post=post, by=self.request.user, featured=post.featured)
        return post


class NoAddPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a != "add"])


class PostIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("author", "club")
            .annotate(
                open_report_count=Count("reports", filter=Q(reports__resolved_at__isnull=True))
            )
        )


class ModerationIndexView(PostIndexView):
    page_title = "Moderation queue"

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(Q(status=Post.Status.PENDING) | Q(open_report_count__gt=0))
        )


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


class CommentEditView(EditView):
    def save_instance(self):
        from community import services

        comment = self.form.instance
        data = self.form.cleaned_data
        if data.get("action"):
            services.comment_moderate(
                comment=comment,
                by=self.request.user,
                action=data["action"],
                reason=data.get("reason", ""),
            )
        return comment


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


class MembershipEditView(EditView):
    def save_instance(self):
        from community import services

        membership = self.form.save()
        decision = self.form.cleaned_data.get("decision")
        if decision and membership.status == Membership.Status.PENDING:
            services.membership_decide(
                membership=membership, by=self.request.user, approve=decision == "approve"
            )
        return membership


class MembershipFilterSet(WagtailFilterSet):
    class Meta:
        model = Membership
        fields = ["club", "status", "role"]


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


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_staff

    def user_has_any_permission(self, user, actions):
        return "view" in actions and user.is_active and user.is_staff


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
    )
    menu_icon = "group"
    menu_label = "Community"
    menu_name = "community"
    menu_order = 150


@hooks.register("register_admin_viewset")
def register_community_viewsets():
    return CommunityGroup()
