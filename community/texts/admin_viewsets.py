"""Community → Sent texts: every text Paddock sent or is about to send, read-only, as Sent emails
lists the mail outbox."""

from wagtail.admin.viewsets.model import ModelViewSet

from community.admin_views import ReadOnlyPermissionPolicy
from community.models import OutboundText


class OutboundTextViewSet(ModelViewSet):
    model = OutboundText
    icon = "mail"
    menu_label = "Sent texts"
    name = "text_outbox"
    url_prefix = "text-outbox"
    list_display = ["to", "kind", "status", "delivery", "segments", "send_after", "sent_at"]
    list_filter = ["status", "delivery", "kind", "urgent"]
    search_fields = ["to", "body"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "to",
        "kind",
        "status",
        "body",
        "segments",
        "urgent",
        "send_after",
        "attempts",
        "last_error",
        "provider_id",
        "created_at",
        "sent_at",
        "delivery",
        "delivery_error",
        "delivery_at",
    ]
    copy_view_enabled = False
    form_fields = ["body"]

    @property
    def permission_policy(self):
        return ReadOnlyPermissionPolicy(self.model)
