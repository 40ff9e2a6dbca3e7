"""Community's personal marks (``{% personal_mark %}``, community/page_parts.py): the viewer's
own note on the clubs listed on a page, and "Report" under comments others wrote."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from community.models import Comment
from community.selectors import club_ids_of


def club_badges(*, request, pks: list[int]) -> dict[int, str]:
    """ "You're a member" on the cards of the listed clubs the viewer is an active member of."""
    if not request.user.is_authenticated:
        return {}
    mine = club_ids_of(member=request.user)
    badge = mark_safe(' · <span class="badge">You\'re a member</span>')
    return {pk: badge for pk in pks if pk in mine}


def comment_reports(*, request, pks: list[int]) -> dict[int, str]:
    """ "Report" under each listed comment someone else wrote, for a signed-in viewer."""
    if not request.user.is_authenticated:
        return {}
    others = Comment.objects.filter(pk__in=pks).exclude(author=request.user)
    return {
        pk: format_html(
            '<a class="comment__report" href="{}">Report</a>',
            reverse("community:report_comment", args=[pk]),
        )
        for pk in others.values_list("pk", flat=True)
    }
