"""The district's indicators as files (issue 15, points 3 and 4): each table, or all of them,
as CSV (one table per file, or all with a column naming the table) and XLSX (a sheet per
table), for the committee (exact) or reported upwards (small counts hidden). Each row says
the district, the school and the period, so figures from several files can be put together."""

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.errors import InvalidInput
from app.exports.tables import Column
from app.exports.tables import Table as ExportTable
from app.indicators.period import Period
from app.indicators.tables import DAYS, SHARE, Table
from app.indicators.upwards import Figure, exact, upwards


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    PDF = "pdf"


class Variant(StrEnum):
    COMMITTEE = "committee"
    UPWARDS = "upwards"


VARIANT_LABELS = {
    Variant.COMMITTEE: _l("For the committee: exact figures"),
    # TRANSLATORS: figures sent to the region or the ministry, with small counts hidden.
    Variant.UPWARDS: _l("To report upwards: counts under 5 hidden"),
}
MIMETYPES = {
    Format.CSV: "text/csv; charset=utf-8",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Format.PDF: "application/pdf",
    "zip": "application/zip",
}


@dataclass(frozen=True)
class Request:
    """What was asked for, checked: the format, the variant, and one table's key or None."""

    format: Format
    variant: Variant
    part: str | None


def parse(fmt: str | None, variant: str | None, part: str | None) -> Request:
    """The export asked for in the address; a translated 400 for anything else."""
    try:
        chosen_format = Format(fmt or "")
    except ValueError:
        raise InvalidInput(_("Choose CSV, XLSX or PDF."), status=400) from None
    try:
        chosen_variant = Variant(variant or Variant.COMMITTEE)
    except ValueError:
        message = _("Choose the committee's figures or the report upwards.")
        raise InvalidInput(message, status=400) from None
    return Request(chosen_format, chosen_variant, part or None)


def chosen_tables(request: Request, tables: list[Table]) -> list[Table]:
    """The one table asked for (a translated 404 if there is none by that key), or all."""
    if request.part is None:
        return tables
    found = [table for table in tables if table.key == request.part]
    if not found:
        raise InvalidInput(_("There is no such table of indicators."), status=404)
    return found


def figures(tables: list[Table], variant: Variant) -> list[tuple[Table, list[Figure]]]:
    """Each table with its rows as the variant shows them."""
    shown = upwards if variant is Variant.UPWARDS else exact
    return [(table, shown(table)) for table in tables]


@dataclass(frozen=True)
class Heading:
    """Where and when the figures are from, written on each row."""

    district: str
    school: str
    period: Period


def columns(with_table: bool) -> list[Column]:
    first = [Column("table", _("Table"))] if with_table else []
    return [
        *first,
        Column("district", _("District")),
        Column("school", _("School")),
        Column("from", _("From"), "date"),
        Column("to", _("To"), "date"),
        Column("indicator", _("Indicator")),
        Column("unit", _("Unit")),
        Column("now", _("This period"), "float"),
        Column("before", _("Previous period"), "float"),
        Column("change", _("Change"), "float"),
    ]


def as_one(chosen: list[tuple[Table, list[Figure]]], heading: Heading) -> ExportTable:
    """All the chosen tables in one, each row naming its table (a CSV file)."""
    many = len(chosen) > 1
    rows = (_row(table, figure, heading, many) for table, shown in chosen for figure in shown)
    return ExportTable(_("Indicators"), columns(many), rows)


def as_sheets(chosen: list[tuple[Table, list[Figure]]], heading: Heading) -> list[ExportTable]:
    """A table each (the sheets of a workbook)."""
    return [
        ExportTable(table.caption, columns(False), _rows(table, shown, heading))
        for table, shown in chosen
    ]


def _rows(table: Table, shown: list[Figure], heading: Heading) -> Iterator[dict]:
    return (_row(table, figure, heading, False) for figure in shown)


def _row(table: Table, figure: Figure, heading: Heading, with_table: bool) -> dict:
    row = {
        "district": heading.district,
        "school": heading.school,
        "from": heading.period.starts_on,
        "to": heading.period.ends_on,
        "indicator": figure.label,
        "unit": str(UNITS.get(figure.kind, UNITS["count"])),
        "now": _number(figure.now, figure.kind),
        "before": _number(figure.before, figure.kind) if figure.compared else None,
        "change": _number(figure.change, figure.kind),
    }
    if with_table:
        row["table"] = table.caption
    return row


UNITS = {
    "count": _l("number"),
    SHARE: "%",
    DAYS: _l("days"),
}


def _number(value: object, kind: str) -> object:
    """A share as a percentage (68.4), other numbers as they are; "<5" and "…" as text."""
    if kind == SHARE and isinstance(value, int | float):
        return round(value * 100, 1)
    return value


def file_name(request: Request, period: Period, extension: str | None = None) -> str:
    """ASCII only, and nothing of a person: what, the period, the variant."""
    what = request.part or "all"
    suffix = "-upwards" if request.variant is Variant.UPWARDS else ""
    dates = f"{period.starts_on.isoformat()}-{period.ends_on.isoformat()}"
    return f"indicators-{what}-{dates}{suffix}.{extension or request.format.value}"
