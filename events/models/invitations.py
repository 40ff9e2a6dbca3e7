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


class InvitationSend(models.Model):
    """Staff pressing "Send": the request is written here first, in the request's transaction,
    so it survives the broker being away. A worker claims it with a lease and writes the
    invitations in chunks, recording its progress with each chunk; beat's sweep resumes any send
    that nobody holds (its task was never queued, or its worker died)."""

    event = models.ForeignKey(
        "events.EventPage", on_delete=models.CASCADE, related_name="invitation_sends"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member_ids = models.JSONField(default=list, help_text="The audience when Send was pressed.")
    done = models.PositiveIntegerField(default=0, help_text="Members of the list handled so far.")
    invited = models.PositiveIntegerField(default=0)
    claimed_by = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["finished_at", "created_at"])]

    def __str__(self) -> str:
        return f"Invitations to {self.event}: {self.done} of {len(self.member_ids)}"

    @property
    def waiting(self) -> int:
        """Members of the list not handled yet."""
        return 0 if self.finished_at else max(len(self.member_ids) - self.done, 0)
