"""What an uploaded table can be: the bounds a file is checked against before and while it
is read (the roster import and the e-journal import alike; the messages speak of the roster,
the larger of the two).

A roster is thousands of rows and a few dozen short columns. A small file can claim far more
(a workbook that unpacks to gigabytes, a sheet declared up to column XFD, one huge cell), so
every bound is checked before the work it bounds: the zip's declared sizes before anything is
unpacked, the sheet's declared size before its cells are read, each row as it is read.
"""

import io
import zipfile
from collections.abc import Iterable, Iterator

from babel.numbers import format_decimal
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from app.core.errors import InvalidInput
from app.uploads.fields import Cell, text

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
HEADER_SEARCH = 10  # a title line or two often sits above the header row
ROW_LIMIT = MAX_ROWS + HEADER_SEARCH + 1  # the last row of a sheet that may hold something
MAX_COLUMNS = 50
MAX_CELL_CHARS = 1_000
# A workbook's parts unpacked: a 20,000-row roster of ten columns is about 12 MB of XML.
MAX_UNPACKED = 64 * 1024 * 1024
# Real sheets shrink 10 to 30 times in a zip; a part that shrank far more is mostly padding.
MAX_RATIO = 100
RATIO_FROM = 1024 * 1024  # small parts (styles, themes) may shrink more; they cost nothing


class TableFileError(InvalidInput):
    """The file as a whole cannot be read; nothing was stored."""


def _number(value: int) -> str:
    return format_decimal(value, locale=get_locale())


def too_large() -> str:
    return _(
        "The file is larger than %(megabytes)d MB. Split it into smaller files, "
        "for example one per grade.",
        megabytes=MAX_BYTES // (1024 * 1024),
    )


def too_many_rows() -> TableFileError:
    return TableFileError(
        ngettext(
            "The file has more than %(limit)s row. Split it into smaller files, "
            "for example one per grade.",
            "The file has more than %(limit)s rows. Split it into smaller files, "
            "for example one per grade.",
            MAX_ROWS,
            limit=_number(MAX_ROWS),
        )
    )


def too_many_columns() -> TableFileError:
    return TableFileError(
        ngettext(
            "The file has more than %(limit)s column. Keep only the columns to import "
            "and upload it again.",
            "The file has more than %(limit)s columns. Keep only the columns to import "
            "and upload it again.",
            MAX_COLUMNS,
            limit=_number(MAX_COLUMNS),
        )
    )


def cell_too_long(row: int) -> TableFileError:
    return TableFileError(
        ngettext(
            "Row %(row)s holds a value longer than %(limit)s character. "
            "Check the file and upload it again.",
            "Row %(row)s holds a value longer than %(limit)s characters. "
            "Check the file and upload it again.",
            MAX_CELL_CHARS,
            row=_number(row),
            limit=_number(MAX_CELL_CHARS),
        )
    )


def unpacks_too_large() -> TableFileError:
    message = _(
        "The workbook unpacks to far more than an import can hold. Save it again in Excel as "
        "an Excel workbook (.xlsx) or as “CSV UTF-8”, keeping only the table to import, and "
        "upload it again."
    )
    return TableFileError(message, status=413)


def check_zip(content: bytes) -> None:
    """Refuse a workbook whose parts would unpack to more than a roster, before unpacking.

    Python's zipfile never returns more than a part's declared size, so declared sizes bound
    the work. A file that is not a zip is left for the workbook reader to refuse.
    """
    try:
        parts = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError):
        return
    if sum(part.file_size for part in parts) > MAX_UNPACKED:
        raise unpacks_too_large()
    for part in parts:
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * part.compress_size:
            raise unpacks_too_large()


def check_declared_size(rows: int | None, columns: int | None) -> None:
    """A sheet's own <dimension>, before its cells are read."""
    if columns is not None and columns > MAX_COLUMNS:
        raise too_many_columns()
    if rows is not None and rows > ROW_LIMIT:
        raise too_many_rows()


def bounded(records: Iterable[Iterable[Cell | None]]) -> Iterator[tuple[int, list[Cell | None]]]:
    """The rows with something in them, numbered as the spreadsheet shows them; refuses a row
    past ROW_LIMIT, past MAX_COLUMNS or with a value past MAX_CELL_CHARS as soon as it comes."""
    for number, record in enumerate(records, start=1):
        cells = [None if cell == "" else cell for cell in record]
        if not any(text(cell) for cell in cells):
            continue
        if number > ROW_LIMIT:
            raise too_many_rows()
        if filled(cells) > MAX_COLUMNS:
            raise too_many_columns()
        if any(isinstance(cell, str) and len(cell) > MAX_CELL_CHARS for cell in cells):
            raise cell_too_long(number)
        yield number, cells


def filled(cells: list) -> int:
    """How many columns up to the last one with something in it."""
    return max((i + 1 for i, cell in enumerate(cells) if text(cell)), default=0)
