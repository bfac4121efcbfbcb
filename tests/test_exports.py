"""Exports safe to hand on (issue 15, point 3): CSV and XLSX that no spreadsheet runs as a
formula."""

import csv
import io
import zipfile
from datetime import date, datetime

import openpyxl

from app.exports.csv_export import BOM, ROWS_PER_CHUNK, csv_stream
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
