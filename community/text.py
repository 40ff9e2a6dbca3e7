"""Small rules of English the site writes by, in one place."""


def possessive(name) -> str:
    """ "Cooper S Owners" -> "Cooper S Owners'", "Harbourside MINI" -> "Harbourside MINI's"."""
    name = str(name).rstrip()
    if not name:
        return name
    return f"{name}'" if name[-1] in "sS" else f"{name}'s"
