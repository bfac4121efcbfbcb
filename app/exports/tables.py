"""The neutral table an export writes: a title, typed columns and rows that may stream."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["text", "int", "float", "date", "percent"]

# What a spreadsheet may read as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column: `key` names the field in each row; a percent holds a fraction (0.85)."""

    key: str
    label: str
    kind: Kind = "text"


@dataclass
class Table:
    """Rows are dicts keyed by the columns' keys; a generator is read once, as it is written."""

    title: str
    columns: list[Column]
    rows: Iterable[dict[str, Any]]


def looks_like_formula(value: object) -> bool:
    """Only text is at risk: a negative number stays a number."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)
