"""Context values computed when a template first reads them: a member's page taken from its shared
body (community/page_parts.py) then runs none of the queries of the parts it does not render."""

from django.utils.functional import SimpleLazyObject, new_method_proxy


class Lazy(SimpleLazyObject):
    """A context value computed when a template first reads it (never, for a cached body)."""

    __int__ = new_method_proxy(int)
    __float__ = new_method_proxy(float)


def lazy_context(build, keys) -> dict:
    """``build()``'s values under ``keys``, each a ``Lazy``: ``build`` runs once, when a template
    first reads one of them (never, for a cached body)."""
    built = Lazy(build)
    return {key: Lazy(lambda key=key: built[key]) for key in keys}
