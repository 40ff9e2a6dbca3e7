"""Writes for the staff tools (the service lounge's import lives in lounge.py)."""

from django.db import transaction

from community.models import Member


class StaffToolsError(Exception):
    """A rule said no; ``code`` is machine-readable, the message is for people."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


@transaction.atomic
def member_advisor_assign(*, member: Member, advisor: Member | None, by: Member) -> Member:
    """Make ``advisor`` (an active member of staff) the one who looks after ``member``; None
    removes the advisor."""
    if advisor is not None and not (advisor.is_staff and advisor.is_active):
        raise StaffToolsError(
            f"{advisor.display_name} is not an active member of staff.", code="not_staff"
        )
    if advisor is not None and advisor.pk == member.pk:
        raise StaffToolsError("Nobody advises themselves.", code="self")
    Member.objects.filter(pk=member.pk).update(advisor=advisor)
    member.advisor = advisor
    return member
