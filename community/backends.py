"""Paddock's authentication backends: Django's (the admin's sign-in by email and password) and
allauth's (members' sign-in), each reading the signed-in member of a request with a query
compiled once per process. Every signed-in request reads its member; Django's own read builds
and compiles the query each time (about a third of a millisecond on Paddock's machines).

Sessions signed in before these backends named Django's or allauth's: migration
0018_sessions_name_paddocks_backends renamed them, so nobody is signed out."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from community.models import Member
from paddock.prepared import Prepared

_MEMBER = Prepared(lambda shape, *, member_id: Member.objects.filter(pk=member_id)[:1])


class _PreparedMemberRead:
    def get_user(self, user_id):
        if not isinstance(user_id, int):
            return super().get_user(user_id)
        member = _MEMBER.first(member_id=user_id)
        return member if member is not None and self.user_can_authenticate(member) else None


class MemberModelBackend(_PreparedMemberRead, ModelBackend):
    """Django's ModelBackend (the Wagtail admin's sign-in)."""


class MemberAccountBackend(_PreparedMemberRead, AuthenticationBackend):
    """allauth's backend (members sign in by email)."""
