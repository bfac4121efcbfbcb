"""The report upwards (issue 15, point 4): the district's tables as the region may see them.

Counts go through app/exports/suppression.py: the rows of an additive group (placements by
kind, incidents by severity, by status) with their total by suppress_list, so that a hidden
count cannot be worked out from the others; any other count alone (1 to 4 shows "<5"). A
share or a median is hidden ("…") when a count it rests on would be (1 to 4), or when those
counts are unknown; shares whose parts add up (each term's results and all terms') have their
parts suppressed as a group, and a share is hidden with the count that is its whole. A change
is given only where both values are shown. Counts only: no names.
"""

from dataclasses import dataclass

from app.exports.suppression import LARGEST, PRIMARY, SECONDARY, SMALLEST, suppress_list
from app.indicators.tables import COUNT, Row, Table, formatted, formatted_change

NOW, BEFORE = 0, 1


@dataclass(frozen=True)
class Figure:
    """A row as exported: its values as numbers, or "<5" / "…" where hidden."""

    label: str
    kind: str
    now: object
    before: object
    compared: bool

    @property
    def change(self) -> object:
        """The difference, where both values are shown and compared (None otherwise)."""
        if not self.compared or not _number(self.now) or not _number(self.before):
            return None
        return self.now - self.before

    def shown(self, value: object) -> str:
        """One of its values as a table shows it, in the reader's language."""
        return formatted(self.kind, value)

    @property
    def change_shown(self) -> str:
        return formatted_change(self.kind, self.change)


def _number(value: object) -> bool:
    return value is not None and not isinstance(value, str)


def exact(table: Table) -> list[Figure]:
    """The committee's own figures, as they are."""
    return [Figure(row.label, row.kind, row.now, row.before, row.compared) for row in table.rows]


def upwards(table: Table) -> list[Figure]:
    """The figures with small cells and what would give them away hidden."""
    rows = table.rows
    shown = {(n, side): _alone(row, side) for n, row in enumerate(rows) for side in (NOW, BEFORE)}
    for side in (NOW, BEFORE):
        for members, total in _groups(rows):
            counts = [_count(rows[n], side) for n in members]
            if not all(isinstance(count, int) for count in counts):
                continue  # a group with no previous value (a figure of today)
            *parts, sum_shown = suppress_list(counts)
            for n, value in zip(members, parts, strict=True):
                if rows[n].kind == COUNT:
                    shown[n, side] = value
                elif isinstance(value, str):
                    shown[n, side] = SECONDARY  # a share whose part is hidden
            if total is not None and isinstance(sum_shown, str):
                shown[total, side] = sum_shown if rows[total].kind == COUNT else SECONDARY
        labels = {row.label: n for n, row in enumerate(rows)}
        for n, row in enumerate(rows):
            whole = labels.get(row.whole)
            hidden = whole is not None and isinstance(shown[whole, side], str)
            if hidden and shown[n, side] is not None:
                shown[n, side] = SECONDARY  # a share of a hidden count
    return [
        Figure(row.label, row.kind, shown[n, NOW], shown[n, BEFORE], row.compared)
        for n, row in enumerate(rows)
    ]


def _count(row: Row, side: int) -> object:
    """What adds up in a row's group: its count, or the part a share is of."""
    if row.kind == COUNT:
        return _value(row, side)
    if row.base is None or (side == BEFORE and not row.compared):
        return None
    return row.base[side][0]


def _value(row: Row, side: int) -> object:
    if side == BEFORE and not row.compared:
        return None
    return row.now if side == NOW else row.before


def _small(count: object) -> bool:
    return isinstance(count, int) and SMALLEST <= count <= LARGEST


def _alone(row: Row, side: int) -> object:
    """A value by its own rule: a count of 1 to 4 is "<5"; a share or a median is hidden when
    a count it rests on is small or unknown."""
    value = _value(row, side)
    if value is None:
        return None
    if row.kind == COUNT:
        return PRIMARY if _small(value) else value
    if row.base is None or any(_small(count) for count in row.base[side]):
        return SECONDARY
    return value


def _groups(rows: list[Row]) -> list[tuple[list[int], int | None]]:
    """Each group's rows, and the row that is its total (None: the total is not a row)."""
    names = list(dict.fromkeys(row.group for row in rows if row.group))
    groups = []
    for name in names:
        members = [n for n, row in enumerate(rows) if row.group == name]
        total = next((n for n, row in enumerate(rows) if name in row.total_of), None)
        groups.append((members, total))
    return groups
