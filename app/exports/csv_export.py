"""A table as CSV for Excel: UTF-8 with a BOM, RFC 4180 quoting, formula-safe, streamed."""

import csv
import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from app.exports.tables import Table, looks_like_formula

BOM = "\ufeff"
ROWS_PER_CHUNK = 500  # a chunk of some kilobytes: few writes, never the whole file in memory


def csv_stream(table: Table) -> Iterator[str]:
    """Yield the CSV text in chunks: the BOM and the header first, then the rows as read."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180: CRLF, quotes doubled
    writer.writerow([csv_cell(column.label) for column in table.columns])
    yield BOM + _take(buffer)
    keys = [column.key for column in table.columns]
    for number, row in enumerate(table.rows, start=1):
        writer.writerow([csv_cell(row.get(key)) for key in keys])
        if number % ROWS_PER_CHUNK == 0:
            yield _take(buffer)
    rest = _take(buffer)
    if rest:
        yield rest


def csv_cell(value: object) -> str | int | float | Decimal:
    """A value as written: numbers as numbers, dates ISO, text that could run prefixed by '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if looks_like_formula(text) else text


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
