"""The community admin's screens: the moderation edit views (posts, comments, memberships), which
save through ``community.services``, the listings' filter sets and index views, and the permission
policies that keep staff from writing posts or changing the sent emails."""

from django.db.models import Count, Q
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.permission_policies import ModelPermissionPolicy

from community import services
from community.models import Car, Membership, Post


class CarFilterSet(WagtailFilterSet):
    class Meta:
        model = Car
        fields = ["car_model__make", "car_model", "bought_here"]


# --- Moderation ----------------------------------------------------------------------------------


class PostFilterSet(WagtailFilterSet):
    class Meta:
        model = Post
        fields = ["status", "kind", "club", "featured"]


class PostEditView(EditView):
    def save_instance(self):
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


class CommentEditView(EditView):
    def save_instance(self):
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


class MembershipEditView(EditView):
    def save_instance(self):
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


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_staff

    def user_has_any_permission(self, user, actions):
        return "view" in actions and user.is_active and user.is_staff
