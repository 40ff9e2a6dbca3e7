from django.db import models, transaction


class Waiver(models.Model):
    """A waiver members accept before a track day. Each change of text makes a new version, and an
    RSVP keeps the version its member accepted."""

    title = models.CharField(max_length=120, unique=True)
    text = models.TextField(
        help_text="Editing the text creates a new version; members accept the newest one."
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @transaction.atomic
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        current = self.versions.order_by("-number").first()
        if current is None or current.text != self.text:
            WaiverVersion.objects.create(
                waiver=self, number=(current.number + 1) if current else 1, text=self.text
            )

    @property
    def current_version(self) -> "WaiverVersion | None":
        return self.versions.order_by("-number").first()


class WaiverVersion(models.Model):
    waiver = models.ForeignKey(Waiver, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["waiver", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["waiver", "number"], name="waiver_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.waiver} v{self.number}"
