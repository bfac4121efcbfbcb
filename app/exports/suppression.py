"""Small-cell suppression for figures reported upwards (issue 15, point 4).

Primary: a count from 1 to 4 shows as "<5" (0 stays 0, totals included). Secondary: more cells
are hidden, shown as "…" (the statistics offices' sign for "not published, confidential"),
until no hidden value can be worked out from what is shown:
- no row or column (totals line included) has exactly one hidden cell (total minus the others);
- no line whose total is shown has hidden cells summing to their least or greatest possible sum
  (two "<5" in a line totalling 8 are both 4; "…" is at least 5);
- in a 2-D table, no hidden cell is a bridge between groups of hidden cells: otherwise sums of
  rows and columns taken together give its value even when each line hides two.
Each step hides the smallest other non-zero cell (then the first by position): deterministic.
Totals are shown unless they themselves are hidden. The tables must be additive (each child
counted in one cell). Holding no names is the caller's job: these are counts only.
Not checked: bounds combined across several lines (a linear programme).
"""

from collections.abc import Sequence

PRIMARY = "<5"
SECONDARY = "…"
SMALLEST, LARGEST = 1, 4

Key = tuple[int, int]
Shown = int | str


def suppress(counts: Sequence[Sequence[int]]) -> list[list[Shown]]:
    """Rows of counts -> the same rows, each with its total at the end, then the totals row
    (the grand total last), with small cells and what would give them away hidden."""
    rows, columns = len(counts), len(counts[0]) if counts else 0
    values = {(i, j): counts[i][j] for i in range(rows) for j in range(columns)}
    for i in range(rows):
        values[i, columns] = sum(counts[i])
    for j in range(columns + 1):
        values[rows, j] = sum(values[i, j] for i in range(rows))
    lines = [[(i, j) for j in range(columns + 1)] for i in range(rows + 1)]
    lines += [[(i, j) for i in range(rows + 1)] for j in range(columns + 1)]
    hidden = _hide(values, lines, bridges=True)
    return [[_shown(values, hidden, (i, j)) for j in range(columns + 1)] for i in range(rows + 1)]


def suppress_list(counts: Sequence[int]) -> list[Shown]:
    """Counts -> the same counts and their total at the end, small ones hidden."""
    values = {(0, j): count for j, count in enumerate(counts)}
    values[0, len(counts)] = sum(counts)
    hidden = _hide(values, [sorted(values)], bridges=False)
    return [_shown(values, hidden, key) for key in sorted(values)]


def _shown(values: dict[Key, int], hidden: set[Key], key: Key) -> Shown:
    if key not in hidden:
        return values[key]
    return PRIMARY if SMALLEST <= values[key] <= LARGEST else SECONDARY


def _hide(values: dict[Key, int], lines: list[list[Key]], bridges: bool) -> set[Key]:
    hidden = {key for key, value in values.items() if SMALLEST <= value <= LARGEST}
    while True:
        more = _line_giveaway(values, lines, hidden)
        if more is None and bridges:
            more = _bridge_giveaway(values, hidden)
        if more is None:
            return hidden
        hidden.add(more)


def _line_giveaway(values: dict[Key, int], lines: list[list[Key]], hidden: set[Key]):
    """The cell to hide next for a line (its total last) that gives a hidden value away."""
    for line in lines:
        shut = [key for key in line if key in hidden]
        if shut and (len(shut) == 1 or _pinned(values, line, hidden)):
            more = _smallest(values, [key for key in line if key not in hidden])
            if more is not None:
                return more
    return None


def _pinned(values: dict[Key, int], line: list[Key], hidden: set[Key]) -> bool:
    """Whether the hidden cells' sum, known from a shown total, leaves each one value."""
    *cells, total = line
    if total in hidden:
        return False
    left = values[total] - sum(values[key] for key in cells if key not in hidden)
    small = sum(1 for key in cells if key in hidden and SMALLEST <= values[key] <= LARGEST)
    other = sum(1 for key in cells if key in hidden) - small
    least = small * SMALLEST + other * (LARGEST + 1)
    return left == least or (other == 0 and left == small * LARGEST)


def _smallest(values: dict[Key, int], keys: list[Key]) -> Key | None:
    nonzero = [key for key in keys if values[key]]
    return min(nonzero, key=lambda key: (values[key], key)) if nonzero else None


def _bridge_giveaway(values: dict[Key, int], hidden: set[Key]) -> Key | None:
    """Hidden cells are edges between their row and column; one on no cycle is determined by
    the lines' sums. Hiding a cell joining its two sides puts it on a cycle."""
    for row, column in sorted(hidden):
        others = hidden - {(row, column)}
        row_side = _reachable(others, ("r", row))
        if ("c", column) in row_side:
            continue
        column_side = _reachable(others, ("c", column))
        candidates = [
            (i, j)
            for kind_i, i in column_side
            if kind_i == "r"
            for kind_j, j in row_side
            if kind_j == "c" and (i, j) not in hidden
        ]
        if candidates:  # a zero only where nothing else joins the sides: it shows as "…"
            return _smallest(values, candidates) or min(candidates, key=lambda k: (values[k], k))
    return None


def _reachable(edges: set[Key], start: tuple[str, int]) -> set[tuple[str, int]]:
    seen, todo = {start}, [start]
    while todo:
        kind, index = todo.pop()
        for row, column in edges:
            if (kind == "r" and row == index) or (kind == "c" and column == index):
                node = ("c", column) if kind == "r" else ("r", row)
                if node not in seen:
                    seen.add(node)
                    todo.append(node)
    return seen
