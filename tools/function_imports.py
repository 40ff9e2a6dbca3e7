"""Count Paddock's own imports written inside functions, and fail when a package has more than
its ceiling.

An import inside a function hides a dependency from a reader and from import-linter's picture
of the layers (import-linter sees it, but a reader scanning the top of a module does not). Django
needs a few (``AppConfig.ready()`` runs once models are loaded; settings read before apps are), so
each package keeps a ceiling that only ever goes down: lower it when you move imports up.

    python tools/function_imports.py          # prints the count per package, fails over a ceiling
    python tools/function_imports.py --list   # and lists each one, file:line
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Folder -> the most imports of Paddock's own modules written inside functions it may hold.
CEILINGS = {"site": 0, "community": 1, "events": 3, "accessories": 2, "staff": 0, "demo": 0}
FIRST_PARTY = {"paddock", "community", "events", "accessories", "staff", "demo"}


def _first_party(node: ast.AST) -> bool:
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] in FIRST_PARTY for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] in FIRST_PARTY
    return False


def function_imports(folder: Path) -> list[str]:
    """``path:line`` of each first-party import inside a function under ``folder``."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if _first_party(node):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return sorted(set(found))


def main(argv: list[str]) -> int:
    over = []
    total = 0
    for folder, ceiling in CEILINGS.items():
        found = function_imports(ROOT / folder)
        total += len(found)
        print(f"{folder:<12} {len(found):>3} imports inside functions (ceiling {ceiling})")
        if "--list" in argv:
            for where in found:
                print(f"    {where}")
        if len(found) > ceiling:
            over.append(folder)
    print(f"{'in all':<12} {total:>3}")
    if over:
        print(
            f"Over the ceiling: {', '.join(over)}. Import at the top of the module, or through "
            "a registry (community/contributions.py) when the import would point upwards."
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
