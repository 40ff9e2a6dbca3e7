"""Outbox claims (claimed_by, lease_until) and a stable Message-ID per message (message_uuid).

message_uuid is added nullable, filled for the rows already there, then made unique and required
(Django's recipe for adding a unique field to a table with rows)."""

import uuid

from django.db import migrations, models


def fill_message_uuids(apps, schema_editor):
    OutboundEmail = apps.get_model("community", "OutboundEmail")
    rows = list(OutboundEmail.objects.filter(message_uuid__isnull=True).only("pk"))
    for row in rows:
        row.message_uuid = uuid.uuid4()
    OutboundEmail.objects.bulk_update(rows, ["message_uuid"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("community", "0009_showroom_sender_address")]

    operations = [
        migrations.AddField(
            model_name="outboundemail",
            name="claimed_by",
            field=models.CharField(
                blank=True,
                help_text="The worker sending it now (while its lease lasts).",
                max_length=100,
            ),
        ),
        migrations.AddField(
            model_name="outboundemail",
            name="lease_until",
            field=models.DateTimeField(
                blank=True,
                help_text="Nobody else sends it before then (a claim, or a retry).",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="outboundemail",
            name="message_uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_message_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outboundemail",
            name="message_uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddIndex(
            model_name="outboundemail",
            index=models.Index(
                fields=["status", "lease_until"], name="community_o_status_fdf67d_idx"
            ),
        ),
    ]
