"""Who a shared body is for (community/page_parts.py): what every member of an audience has in
common, and the error for a template that reaches past it. Kept apart so that selectors can apply
a rule to an audience (whose profiles its members see) without importing the page machinery."""


class SharedRenderError(Exception):
    """A shared body touched one member's data: render the page whole for this member instead."""


class AudienceUser:
    """``user`` in a shared body: what every member of the audience has in common, nothing more."""

    is_anonymous = False
    is_authenticated = True
    pk = None  # nobody in particular: "is this their own profile?" is never true here

    def __init__(self, user):
        self.is_staff = bool(user.is_staff)

    def __getattr__(self, name):
        raise SharedRenderError(f"user.{name} used outside a {{% personal %}} part")


def as_audience(viewer):
    """Whom a list of people is shown as: a signed-in viewer as their audience (no one in
    particular, so the list is the same for all of them), a visitor as a visitor."""
    return AudienceUser(viewer) if getattr(viewer, "is_authenticated", False) else viewer
