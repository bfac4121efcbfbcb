"""Exports safe to hand on (issue 15, points 3-5): CSV and XLSX that no spreadsheet runs as a
formula, small cells hidden so that no total gives them away, an encrypted archive."""

import csv
import io
import zipfile
from datetime import date, datetime
from fractions import Fraction

import openpyxl
import pytest
import pyzipper
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import InvalidInput
from app.exports.archive import encrypted_zip
from app.exports.csv_export import BOM, ROWS_PER_CHUNK, csv_stream
from app.exports.suppression import PRIMARY, SECONDARY, suppress, suppress_list
from app.exports.tables import Column, Table
from app.exports.xlsx_export import sheet_name, xlsx_bytes

RISKY = ["=1+1", "+7 701", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x","y")']
COLUMNS = [
    Column("name", "Name"),
    Column("count", "Count", "int"),
    Column("rate", "Rate", "percent"),
    Column("since", "Since", "date"),
    Column("mean", "Mean", "float"),
]


def csv_text(table: Table) -> str:
    return "".join(csv_stream(table))


def test_csv_starts_with_a_bom_and_quotes_as_rfc_4180():
    rows = [{"name": 'Aigerim "A", 7\nB', "count": 3}]
    text = csv_text(Table("t", COLUMNS[:2], rows))
    assert text.startswith(BOM)
    assert text[1:] == 'Name,Count\r\n"Aigerim ""A"", 7\nB",3\r\n'
    assert list(csv.reader(io.StringIO(text[1:]))) == [
        ["Name", "Count"],
        ['Aigerim "A", 7\nB', "3"],
    ]


def test_csv_prefixes_text_that_could_run_as_a_formula_but_not_numbers():
    rows = [{"name": value, "count": -5, "mean": -1.5} for value in RISKY]
    read = list(csv.reader(io.StringIO(csv_text(Table("t", COLUMNS, rows))[1:])))[1:]
    assert [row[0] for row in read] == ["'" + value for value in RISKY]
    assert {(row[1], row[4]) for row in read} == {("-5", "-1.5")}


def test_csv_writes_dates_as_iso_and_nothing_for_a_missing_value():
    rows = [{"name": None, "since": date(2026, 11, 18), "rate": 0.85}]
    assert csv_text(Table("t", COLUMNS, rows)).endswith(",,0.85,2026-11-18,\r\n")


def test_csv_streams_rows_as_they_are_read_never_the_whole_file():
    read = 0

    def rows():
        nonlocal read
        for number in range(100_000):
            read += 1
            yield {"name": f"row {number}", "count": number}

    chunks = csv_stream(Table("t", COLUMNS[:2], rows()))
    assert next(chunks) == BOM + "Name,Count\r\n" and read == 0
    second = next(chunks)
    assert read == ROWS_PER_CHUNK
    assert second.count("\r\n") == ROWS_PER_CHUNK
    chunks.close()


def read_book(tables: list[Table]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(xlsx_bytes(tables)))


def test_xlsx_has_one_sheet_per_table_with_a_bold_header():
    book = read_book([Table("Attendance", COLUMNS[:2], []), Table("Visits", COLUMNS[:1], [])])
    assert book.sheetnames == ["Attendance", "Visits"]
    assert [cell.value for cell in book["Attendance"][1]] == ["Name", "Count"]
    assert all(cell.font.bold for cell in book["Attendance"][1])


def test_xlsx_writes_dates_as_dates_and_numbers_as_numbers():
    row = {"name": "A", "count": -3, "rate": 0.853, "since": date(2026, 11, 18), "mean": 2.5}
    _name, count, rate, since, mean = read_book([Table("t", COLUMNS, [row])])["t"][2]
    assert since.is_date and since.value == datetime(2026, 11, 18)
    assert since.number_format == "yyyy-mm-dd"
    assert (count.data_type, count.value, mean.value) == ("n", -3, 2.5)
    assert (rate.data_type, rate.value, rate.number_format) == ("n", 0.853, "0.0%")


def test_xlsx_never_holds_a_formula_and_keeps_the_text_as_typed():
    content = xlsx_bytes([Table("t", COLUMNS[:1], [{"name": value} for value in RISKY])])
    cells = [row[0] for row in openpyxl.load_workbook(io.BytesIO(content))["t"].iter_rows(2)]
    # XML reads a carriage return as a line feed: the text is otherwise as typed.
    assert [cell.value for cell in cells] == [value.replace("\r", "\n") for value in RISKY]
    assert {cell.data_type for cell in cells} == {"s"}
    assert all(cell.quotePrefix for cell in cells)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_xlsx_drops_control_characters_excel_refuses():
    book = read_book([Table("t", COLUMNS[:1], [{"name": "A\x00B\x1bC"}])])
    assert book["t"]["A2"].value == "ABC"


def test_sheet_names_follow_excels_rules():
    assert sheet_name("Results: term 1/2 [draft]*?") == "Results  term 1 2  draft"
    assert len(sheet_name("x" * 40)) == 31
    assert sheet_name("'quoted'") == "quoted"
    assert sheet_name("Visits", {"visits"}) == "Visits (2)"
    assert sheet_name("y" * 40, {"y" * 31}) == "y" * 27 + " (2)"
    book = read_book([Table("Same", COLUMNS[:1], []), Table("same", COLUMNS[:1], [])])
    assert book.sheetnames == ["Same", "same (2)"]


def test_small_counts_show_as_under_five_zero_stays_zero_and_the_total_is_shown():
    assert suppress_list([0, 3, 10, 12]) == [0, PRIMARY, SECONDARY, 12, 25]
    assert suppress_list([5, 0, 7]) == [5, 0, 7, 12]


def test_two_small_cells_cannot_be_pinned_down_by_their_largest_sum():
    # Two "<5" in a line whose other cells sum to total minus 8 are both 4.
    assert suppress_list([4, 4, 10]) == [PRIMARY, PRIMARY, SECONDARY, 18]


def test_a_small_total_is_hidden_too():
    assert suppress([[2, 1], [0, 0]]) == [[PRIMARY, PRIMARY, PRIMARY], [0, 0, 0], 3 * [PRIMARY]]


def test_a_cell_joining_two_hidden_blocks_is_not_given_away_by_rows_and_columns_together():
    # Each line hides two or more, but (0, 2) would follow from rows 0-1 and columns 0-1.
    grid = [[2, 3, 2, 20], [3, 2, 20, 20], [20, 20, 2, 3], [20, 20, 3, 2]]
    values, lines = full_table(grid)
    primary = {key for key, value in values.items() if 1 <= value <= 4}
    assert all(sum(key in primary for key in line) != 1 for line in lines)
    assert (0, 2) in determined(values, lines, primary)
    shown = suppress(grid)
    hidden = {(i, j) for i, row in enumerate(shown) for j, cell in enumerate(row) if cell in HIDE}
    assert determined(values, lines, hidden) == set()


HIDE = (PRIMARY, SECONDARY)


def full_table(grid):
    rows, columns = len(grid), len(grid[0])
    values = {(i, j): grid[i][j] for i in range(rows) for j in range(columns)}
    for i in range(rows):
        values[i, columns] = sum(grid[i])
    for j in range(columns + 1):
        values[rows, j] = sum(values[i, j] for i in range(rows))
    lines = [[(i, j) for j in range(columns + 1)] for i in range(rows + 1)]
    lines += [[(i, j) for i in range(rows + 1)] for j in range(columns + 1)]
    return values, lines


def determined(values, lines, hidden) -> set:
    """The attacker: each line says its cells sum to its total (the last); which hidden cells
    do these equations fix? Gauss-Jordan elimination over the hidden cells, exact fractions."""
    unknowns = sorted(hidden)
    equations = []
    for line in lines:
        signs = {key: 1 for key in line[:-1]} | {line[-1]: -1}
        row = [Fraction(signs[key]) if key in signs else Fraction(0) for key in unknowns]
        known = -sum(signs[key] * values[key] for key in line if key not in hidden)
        equations.append([*row, Fraction(known)])
    pivot_row = 0
    for column in range(len(unknowns)):
        found = next((r for r in range(pivot_row, len(equations)) if equations[r][column]), None)
        if found is None:
            continue
        equations[pivot_row], equations[found] = equations[found], equations[pivot_row]
        lead = equations[pivot_row][column]
        equations[pivot_row] = [value / lead for value in equations[pivot_row]]
        for r in range(len(equations)):
            if r != pivot_row and equations[r][column]:
                factor = equations[r][column]
                equations[r] = [
                    a - factor * b for a, b in zip(equations[r], equations[pivot_row], strict=True)
                ]
        pivot_row += 1
    return {
        unknowns[row.index(1)]
        for row in equations
        if sum(1 for value in row[:-1] if value) == 1 and 1 in row[:-1]
    }


def pinned_by_bounds(values, lines, hidden, shown) -> set:
    """The attacker with bounds: "<5" is 1-4, "…" at least 5; a line with a shown total."""
    found = set()
    for line in lines:
        *cells, total = line
        secret = [key for key in cells if key in hidden]
        if total in hidden or not secret:
            continue
        left = values[total] - sum(values[key] for key in cells if key not in hidden)
        bounds = {key: (1, 4) if shown[key] == PRIMARY else (5, float("inf")) for key in secret}
        for key in secret:
            others = [bounds[other] for other in secret if other != key]
            low = max(bounds[key][0], left - sum(high for _, high in others))
            high = min(bounds[key][1], left - sum(low for low, _ in others))
            if low == high == values[key]:
                found.add(key)
    return found


counts = st.one_of(st.integers(0, 6), st.integers(0, 40))
grids = st.integers(1, 4).flatmap(
    lambda columns: st.lists(
        st.lists(counts, min_size=columns, max_size=columns), min_size=1, max_size=4
    )
)
QUICK = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def check_safe(values, lines, shown_by_key):
    hidden = {key for key, cell in shown_by_key.items() if cell in HIDE}
    visible = {key: cell for key, cell in shown_by_key.items() if key not in hidden}
    assert all(cell == values[key] for key, cell in visible.items())
    assert not any(1 <= cell <= 4 for cell in visible.values())  # (a)
    assert all(sum(key in hidden for key in line) != 1 for line in lines)  # (b)
    assert all(shown_by_key[key] == PRIMARY for key in hidden if 1 <= values[key] <= 4)
    assert determined(values, lines, hidden) == set()  # (c) from the attacker's side
    assert pinned_by_bounds(values, lines, hidden, shown_by_key) == set()


@QUICK
@given(grids)
def test_no_suppressed_table_gives_a_small_cell_away(grid):
    values, lines = full_table(grid)
    shown = suppress(grid)
    check_safe(
        values, lines, {(i, j): cell for i, row in enumerate(shown) for j, cell in enumerate(row)}
    )


@QUICK
@given(st.lists(counts, min_size=1, max_size=8))
def test_no_suppressed_list_gives_a_small_count_away(numbers):
    values = {(0, j): count for j, count in enumerate([*numbers, sum(numbers)])}
    shown = suppress_list(numbers)
    check_safe(values, [sorted(values)], {(0, j): cell for j, cell in enumerate(shown)})


CSV = b"name\r\nAigerim Nurlanovna\r\n"
PASSPHRASE = "correct horse battery"


def test_the_archive_opens_with_the_passphrase_only():
    content = encrypted_zip({"children.csv": CSV}, PASSPHRASE)
    with pyzipper.AESZipFile(io.BytesIO(content)) as archive:
        assert archive.read("children.csv", pwd=PASSPHRASE.encode()) == CSV
        for wrong in (None, b"correct horse battery!"):
            with pytest.raises(RuntimeError):
                archive.read("children.csv", pwd=wrong)
        extra = archive.getinfo("children.csv").extra
    # The WinZip AES field (0x9901): version, "AE", strength 3 = 256-bit keys.
    assert extra[extra.index(b"\x01\x99") + 8] == 3


def test_the_archive_holds_no_plain_text():
    content = encrypted_zip({"children.csv": CSV * 50}, PASSPHRASE)
    assert b"Aigerim" not in content
    archive = zipfile.ZipFile(io.BytesIO(content))
    with archive, pytest.raises(RuntimeError, match="encrypted"):
        archive.read("children.csv")


@pytest.mark.parametrize("passphrase", ["", "short", "eleven char", " " * 20 + "abc"])
def test_a_short_passphrase_is_refused_in_the_users_language(passphrase):
    with force_locale("ru"), pytest.raises(InvalidInput) as refused:
        encrypted_zip({"children.csv": CSV}, passphrase)
    assert "12" in refused.value.message
    assert "passphrase" not in refused.value.message


def test_a_file_name_that_is_a_path_is_refused():
    with pytest.raises(ValueError, match="plain file name"):
        encrypted_zip({"../children.csv": CSV}, PASSPHRASE)
