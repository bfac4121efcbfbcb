"""Reading an uploaded table (a roster, an e-journal export) into rows: CSV (UTF-8 or
Windows-1251, comma or semicolon) or XLSX."""

import codecs
import csv
import io
import re
import warnings
from dataclasses import dataclass

import openpyxl
from flask_babel import gettext as _

from app.uploads.fields import Cell, Field, guess_columns, text
from app.uploads.limits import (
    HEADER_SEARCH,
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_ROWS,
    ROW_LIMIT,
    TableFileError,
    bounded,
    check_declared_size,
    check_zip,
    filled,
    too_large,
    too_many_rows,
)

__all__ = ["MAX_BYTES", "MAX_ROWS", "Table", "TableFileError", "read_table"]

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format
# Windows-1251 decodes almost any bytes; real Russian or Kazakh text is mostly Cyrillic letters.
CYRILLIC_SHARE = 0.8
TYPOGRAPHY = set("«»„“”‘’–—…№\u00a0")


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[Cell]]]  # (row number as the spreadsheet shows it, cells)

    def column_names(self) -> list[str]:
        return [name or _("Column %(number)d", number=i + 1) for i, name in enumerate(self.header)]


def read_table(filename: str, content: bytes, fields: tuple[Field, ...]) -> Table:
    """The file's header row (the first naming two of `fields`) and the rows under it."""
    if len(content) > MAX_BYTES:
        raise TableFileError(too_large())
    if not content.strip():
        raise TableFileError(_("The file is empty."))
    if content.startswith(XLS_MAGIC):
        raise TableFileError(
            _(
                "Old Excel files (.xls) cannot be read. Open the file in Excel, save it as "
                "an Excel workbook (.xlsx) or as “CSV UTF-8”, and upload it again."
            )
        )
    if content.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        return _table(_xlsx_records(content), fields)
    return _table(_csv_records(decode(content)), fields)


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1251 when it reads as Cyrillic text."""
    content = content.removeprefix(codecs.BOM_UTF8)
    if b"\x00" in content:  # UTF-16, or not text at all
        raise TableFileError(wrong_encoding())
    try:
        decoded = content.decode("utf-8")
    except UnicodeDecodeError:
        try:
            decoded = content.decode("cp1251")
        except UnicodeDecodeError as error:
            raise TableFileError(wrong_encoding()) from error
        if not _reads_as_cyrillic(decoded):
            raise TableFileError(wrong_encoding()) from None
    if any(char < " " and char not in "\t\r\n" for char in decoded):
        raise TableFileError(wrong_encoding())
    return decoded


def wrong_encoding() -> str:
    return _(
        "The file could not be read: it is neither UTF-8 nor Windows-1251 text. Save it "
        "as “CSV UTF-8” or as an Excel workbook (.xlsx) and upload it again."
    )


def _reads_as_cyrillic(decoded: str) -> bool:
    """Mostly Cyrillic letters, in words of their own (Latin-1 "Hélène" reads "Hйlиne")."""
    beyond_ascii = [char for char in decoded if ord(char) > 127 and char not in TYPOGRAPHY]
    cyrillic = sum(1 for char in beyond_ascii if "\u0400" <= char <= "\u04ff")
    words = [word for word in re.findall(r"\w+", decoded) if not word.isascii()]
    mixed = sum(1 for word in words if re.search(r"[A-Za-z]", word))
    return cyrillic >= CYRILLIC_SHARE * len(beyond_ascii) and mixed <= len(words) / 2


def _csv_records(decoded: str) -> list[tuple[int, list[Cell | None]]]:
    first = next((line for line in decoded.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        return list(bounded(csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter)))
    except csv.Error as error:
        raise TableFileError(
            _("The file could not be read as CSV. Check that it was saved as CSV and try again.")
        ) from error


def _xlsx_records(content: bytes) -> list[tuple[int, list[Cell | None]]]:
    check_zip(content)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # style warnings from other spreadsheet programs
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                return _sheet_records(book.worksheets[0])
            finally:
                book.close()
    except TableFileError:
        raise
    except Exception as error:  # a damaged workbook fails in many different ways
        raise TableFileError(
            _(
                "The file could not be read as an Excel workbook (.xlsx). Open it in Excel, "
                "save it as .xlsx or as “CSV UTF-8”, and upload it again."
            )
        ) from error


def _sheet_records(sheet) -> list[tuple[int, list[Cell | None]]]:
    """The sheet's rows, read no further than a table can reach whatever the sheet declares:
    one column past the last a table may have and one row past the last, to refuse either."""
    check_declared_size(sheet.max_row, sheet.max_column)
    rows = sheet.iter_rows(max_row=ROW_LIMIT + 1, max_col=MAX_COLUMNS + 1, values_only=True)
    return list(bounded(rows))


def _table(numbered: list[tuple[int, list[Cell | None]]], fields: tuple[Field, ...]) -> Table:
    if not numbered:
        raise TableFileError(_("The file is empty."))
    start = _header_index(numbered, fields)
    header = [text(cell) for cell in numbered[start][1]]
    rows = numbered[start + 1 :]
    if not rows:
        raise TableFileError(_("The file has no rows under its header."))
    if len(rows) > MAX_ROWS:
        raise too_many_rows()
    width = max(filled(header), *(filled(cells) for _number, cells in rows))
    header = (header + [""] * width)[:width]
    return Table(header, [(n, (cells + [None] * width)[:width]) for n, cells in rows])


def _header_index(numbered: list[tuple[int, list[Cell]]], fields: tuple[Field, ...]) -> int:
    """The first row naming at least two fields, else the first row."""
    for index, (_number, cells) in enumerate(numbered[:HEADER_SEARCH]):
        if len(guess_columns([text(cell) for cell in cells], fields)) >= 2:
            return index
    return 0
