"""Checking an uploaded table row by row before anything is imported.

An import is all or nothing: every row is checked first, and each problem is kept with the
row number the spreadsheet shows. A row that can be imported says what it records, what is
stored now, and whether it changes anything, so a file imported twice changes nothing twice.
The stored versions a check saw make its fingerprint: an import whose fingerprint differs
from its preview's was overtaken by another change and must be checked again.
"""

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _

from app.core.numbers import whole_number
from app.uploads.fields import Cell, Field, text
from app.uploads.read import Table


@dataclass
class Problem:
    row: int
    name: str  # the child's name as the file writes it
    message: str


@dataclass
class Line:
    """A row that can be imported."""

    row: int
    name: str  # the child as Qadam names them
    what: str  # what the value is about: "Mathematics, term 2", a date
    value: str  # the value the row records, as shown
    stored: str | None  # the value stored now, as shown; None: nothing is stored yet
    changes: bool  # False: the row says what is stored already
    payload: Any = None  # what the domain needs to write it


@dataclass
class Check:
    lines: list[Line] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    empty: int = 0  # rows with nothing to record
    versions: list[str] = field(default_factory=list)  # "record id:version" of what is stored

    @property
    def new(self) -> list[Line]:
        return [line for line in self.lines if line.stored is None]

    @property
    def corrections(self) -> list[Line]:
        return [line for line in self.lines if line.stored is not None and line.changes]

    @property
    def unchanged(self) -> int:
        return sum(1 for line in self.lines if not line.changes)

    @property
    def changing(self) -> list[Line]:
        return [line for line in self.lines if line.changes]

    @property
    def rows_with_problems(self) -> int:
        return len({problem.row for problem in self.problems})

    @property
    def fingerprint(self) -> str:
        """What was stored when the file was checked; changes with any stored version."""
        seen = "\n".join(sorted(self.versions)).encode()
        return hashlib.sha256(seen).hexdigest()[:32]


class Overtaken(Exception):
    """What is stored changed after the file was checked; nothing may be written."""


@dataclass(frozen=True)
class Kind:
    """One kind of import a teacher makes from their e-journal's export."""

    key: str
    fields: tuple[Field, ...]
    missing: Callable[[Mapping[str, int]], str | None]  # the message if a column is lacking
    check: Callable[[Any, Table, Mapping[str, int], date], Check]  # (user, table, mapping, today)
    apply: Callable[[Any, Check], int]  # writes the changing lines; flushes only
    audit_reads: Callable[[Check], None]  # notes the reads the preview shows


def chosen_columns(values: Mapping[str, str], fields: tuple[Field, ...], width: int) -> dict:
    """Field key → column index, from a form's choices; ignores anything out of range."""
    mapping = {}
    for item in fields:
        column = whole_number(values.get(item.key))
        if column is not None and column < width:
            mapping[item.key] = column
    return mapping


def rows(table: Table, mapping: Mapping[str, int]):
    """Each row's number and its values by field key."""
    for number, cells in table.rows:
        yield number, {key: cells[index] for key, index in mapping.items()}


def is_empty(values: Mapping[str, Cell | None], keys: tuple[str, ...]) -> bool:
    return not any(text(values.get(key)) for key in keys)


def missing_message(missing: list[str]) -> str | None:
    if not missing:
        return None
    return _(
        "Qadam could not find a column for: %(fields)s. Choose a column for each below, "
        "or add them to the file and upload it again.",
        fields=format_list(missing, locale=get_locale() or "en"),
    )
