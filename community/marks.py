"""Community's personal marks (``{% personal_mark %}``, community/page_parts.py): the viewer's
own note on the clubs listed on a page."""

from django.utils.safestring import mark_safe

from community.selectors import club_ids_of


def club_badges(*, request, pks: list[int]) -> dict[int, str]:
    """ "You're a member" on the cards of the listed clubs the viewer is an active member of."""
    if not request.user.is_authenticated:
        return {}
    mine = club_ids_of(member=request.user)
    badge = mark_safe(' · <span class="badge">You\'re a member</span>')
    return {pk: badge for pk in pks if pk in mine}
