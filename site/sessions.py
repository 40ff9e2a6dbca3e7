"""Sessions in PostgreSQL, as Django's database backend keeps them (``SESSION_ENGINE =
"paddock.sessions"``: the same table and format, so switching signs nobody out), read with one
query compiled once per process: every signed-in request reads its session first. On SQLite
(``make run``) Django's own read is used."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from paddock.prepared import Prepared

_SESSION = Prepared(
    lambda shape, *, session_key, now: Session.objects.filter(
        session_key=session_key, expire_date__gt=now
    )[:1]
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        if connection.vendor != "postgresql" or not isinstance(self.session_key, str):
            return super()._get_session_from_db()
        session = _SESSION.first(session_key=self.session_key, now=timezone.now())
        if session is None:
            self._session_key = None  # as Django's: an unknown or expired key starts afresh
        return session
