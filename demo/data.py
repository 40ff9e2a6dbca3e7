"""Reading the demo dealership's data files (demo/data/*.toml) into the typed shapes the steps use.

The demo's people, cars, clubs, posts, events, accessories and texts are data, not code: each step
reads its file with :func:`read` and turns each entry into a frozen dataclass with
:meth:`DataFile.entries` or :meth:`DataFile.entry`. A value of the wrong type, a missing or unknown
key, or a value outside a field's ``choices`` (``field(metadata={"choices": [...]})``) raises a
:class:`~demo.seed.DemoError` naming the file and the entry, e.g.::

    demo/data/members.toml: members 'priya.shah@paddock.localhost': visibility = 'everyone' is not
    one of public, members, private

TOML's own types map onto the fields: strings, integers, floats, booleans, local dates
(``2024-03-09``) and local times (``09:00:00``); an array becomes a tuple and a table a nested
dataclass or a dict.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

from demo.seed import DemoError

DATA_DIR = Path(__file__).resolve().parent / "data"

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class DataFile:
    """One parsed data file: its path (for messages) and its top-level tables."""

    path: Path
    content: dict[str, Any]

    @property
    def label(self) -> str:
        root = DATA_DIR.parent.parent
        return (
            str(self.path.relative_to(root)) if self.path.is_relative_to(root) else str(self.path)
        )

    def error(self, entry: str, message: str) -> DemoError:
        return DemoError(f"{self.label}: {entry}: {message}", code="bad_data")

    def table(self, key: str) -> dict[str, Any]:
        """The top-level table ``key``."""
        value = self.content.get(key)
        if not isinstance(value, dict):
            raise self.error(key, f"expected a table [{key}], got {_shown(value)}")
        return value

    def entry(self, cls: type[T], key: str) -> T:
        """The top-level table ``key`` as a ``cls``."""
        return build(cls, self.table(key), file=self, entry=key)

    def entries(self, cls: type[T], key: str, *, name: str = "") -> list[T]:
        """The array of tables ``[[key]]``, each as a ``cls``. Entries are named in messages by
        their ``name`` field (e.g. a member's email), else by position."""
        rows = self.content.get(key)
        if not isinstance(rows, list):
            raise self.error(key, f"expected an array of tables [[{key}]], got {_shown(rows)}")
        built = []
        for position, row in enumerate(rows, start=1):
            label = row.get(name) if name and isinstance(row, dict) else None
            entry = f"{key} {label!r}" if isinstance(label, str) else f"{key} #{position}"
            built.append(build(cls, row, file=self, entry=entry))
        return built

    def check(self, ok: bool, *, entry: str, message: str) -> None:
        """Raise a DemoError for ``entry`` unless ``ok``: for references between entries."""
        if not ok:
            raise self.error(entry, message)


def read(name: str, *, folder: Path = DATA_DIR) -> DataFile:
    """Parse demo/data/``name`` (or ``folder``/``name``)."""
    path = folder / name
    try:
        with path.open("rb") as stream:
            content = tomllib.load(stream)
    except FileNotFoundError as error:
        raise DemoError(f"{path}: the demo's data file is missing", code="bad_data") from error
    except tomllib.TOMLDecodeError as error:
        raise DemoError(f"{path}: not valid TOML: {error}", code="bad_data") from error
    return DataFile(path=path, content=content)


def build(cls: type[T], values: object, *, file: DataFile, entry: str) -> T:
    """A ``cls`` dataclass from a table, each value checked against the field's type."""
    if not isinstance(values, dict):
        raise file.error(entry, f"expected a table, got {_shown(values)}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise file.error(entry, f"unknown key {', '.join(unknown)} (known: {', '.join(fields)})")
    kwargs = {}
    for name, spec in fields.items():
        if name not in values:
            if spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
                raise file.error(entry, f"{name} is missing")
            continue
        value = _convert(values[name], hints[name], file=file, entry=entry, key=name)
        choices = spec.metadata.get("choices")
        if choices is not None and value not in choices:
            raise file.error(
                entry, f"{name} = {value!r} is not one of {', '.join(map(str, choices))}"
            )
        kwargs[name] = value
    return cls(**kwargs)


def _convert(value: object, hint: Any, *, file: DataFile, entry: str, key: str) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        # TOML has no null: an optional field is one left out, so a value given has the other type.
        (kind,) = [arg for arg in args if arg is not type(None)]
        return _convert(value, kind, file=file, entry=entry, key=key)
    if origin is tuple:
        if not isinstance(value, list):
            raise file.error(entry, f"{key} should be an array, not {_shown(value)}")
        kinds = [args[0]] * len(value) if args[-1] is Ellipsis else list(args)
        if len(kinds) != len(value):
            raise file.error(entry, f"{key} should have {len(kinds)} items, not {len(value)}")
        return tuple(
            _convert(item, kind, file=file, entry=entry, key=f"{key}[{n}]")
            for n, (item, kind) in enumerate(zip(value, kinds, strict=True))
        )
    if dataclasses.is_dataclass(hint):
        return build(hint, value, file=file, entry=f"{entry}, {key}")
    expected = origin or hint
    ok = isinstance(value, expected) and not (expected is not bool and isinstance(value, bool))
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if expected is date and isinstance(value, datetime):
        ok = False
    if not ok:
        raise file.error(entry, f"{key} should be {_kind(expected)}, not {_shown(value)}")
    return value


def _kind(expected: type) -> str:
    names = {
        str: "text",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        date: "a date (2024-03-09)",
        time: "a time (09:00:00)",
        dict: "a table",
    }
    return names.get(expected, expected.__name__)


def _shown(value: object) -> str:
    return "nothing" if value is None else f"{value!r}"
