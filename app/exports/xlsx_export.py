"""Tables as an XLSX workbook, one sheet each: dates as dates, numbers as numbers, and no text
that Excel would run as a formula. Written in openpyxl's write-only mode (rows go to a
temporary file as they come, not into a tree of cells)."""

import io
import re
from collections.abc import Collection
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from app.exports.tables import Column, Table, looks_like_formula

SHEET_NAME_MAX = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "percent": "0.0%"}
BOLD = Font(bold=True)


def xlsx_bytes(tables: list[Table]) -> bytes:
    """The workbook in memory: for small files; a route streaming a large one uses write_xlsx
    into a temporary file."""
    target = io.BytesIO()
    write_xlsx(tables, target)
    return target.getvalue()


def write_xlsx(tables: list[Table], target: str | IO[bytes]) -> None:
    book = Workbook(write_only=True)
    names: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(sheet_name(table.title, names))
        names.add(sheet.title.casefold())
        _write_sheet(sheet, table)
    book.save(target)


def sheet_name(title: str, taken: Collection[str] = ()) -> str:
    """Excel's rules: 1-31 characters, none of []:*?/\\, not quoted, unique ignoring case."""
    base = SHEET_NAME_FORBIDDEN.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", title)).strip(" '")
    base = base[:SHEET_NAME_MAX].strip(" '") or "Sheet"
    name, number = base, 1
    while name.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        name = base[: SHEET_NAME_MAX - len(suffix)].rstrip(" '") + suffix
    return name


def _write_sheet(sheet: WriteOnlyWorksheet, table: Table) -> None:
    header = []
    for column in table.columns:
        cell = _cell(sheet, column.label, None)
        cell.font = BOLD
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append([_cell(sheet, row.get(column.key), column) for column in table.columns])


def _cell(sheet: WriteOnlyWorksheet, value: Any, column: Column | None) -> WriteOnlyCell:
    if isinstance(value, str):
        return _text_cell(sheet, value)
    if isinstance(value, Decimal):
        value = float(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime):
        cell.number_format = FORMATS["datetime"]
    elif isinstance(value, date):
        cell.number_format = FORMATS["date"]
    elif column is not None and column.kind == "percent" and isinstance(value, int | float):
        cell.number_format = FORMATS["percent"]
    return cell


def _text_cell(sheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    # openpyxl takes any str starting with "=" for a formula: the type is set back to text,
    # and the quote prefix keeps it text when someone edits the cell in Excel.
    value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters openpyxl refuses
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    if looks_like_formula(value):
        cell.quotePrefix = True
    return cell
