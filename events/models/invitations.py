from django.conf import settings
from django.db import models


class Invitation(models.Model):
    """A member invited to an event by email: one row per event and member, so a double click or a
    worker that dies mid-batch never invites anyone twice."""

    event = models.ForeignKey(
        "events.EventPage", on_delete=models.CASCADE, related_name="invitations"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.ForeignKey(
        "community.OutboundEmail",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "member"], name="invitation_event_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} invited to {self.event}"
