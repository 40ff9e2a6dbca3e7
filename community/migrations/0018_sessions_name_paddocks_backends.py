"""Signed-in sessions name the backend that signed them in; Django's and allauth's backends were
replaced by Paddock's own (community.backends), which read the member with a prepared query.
Sessions are renamed here so that nobody is signed out by the change."""

from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations
from django.utils import timezone

BACKEND_KEY = "_auth_user_backend"
RENAMED = {
    "django.contrib.auth.backends.ModelBackend": "community.backends.MemberModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "community.backends.MemberAccountBackend",
}


def _rename(apps, names: dict[str, str]) -> None:
    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    live = Session.objects.filter(expire_date__gt=timezone.now())
    for session in live.iterator(chunk_size=500):
        data = store.decode(session.session_data)
        backend = data.get(BACKEND_KEY)
        if backend in names:
            data[BACKEND_KEY] = names[backend]
            session.session_data = store.encode(data)
            session.save(update_fields=["session_data"])


def forwards(apps, schema_editor):
    _rename(apps, RENAMED)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0017_outbox_render_spec"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
