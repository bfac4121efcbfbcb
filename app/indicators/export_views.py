"""The indicators' exports (issue 15, points 3-5 and 7): committee members only, their own
district, for the period and school of the page (checked as the page checks them). Every
export is recorded (app/exports/models.py) and audited in the same commit, before a byte of
it is sent; a request refused sends nothing and records nothing.

- GET /indicators/export: a table, or all, as CSV, XLSX or PDF, for the committee or to
  report upwards (small counts hidden): figures only, no names.
- POST /indicators/children: the list of followed children, only in an AES-256 archive with
  the passphrase typed on the page (posted, so never in an address or a log)."""

import tempfile
from collections.abc import Iterator
from typing import IO

from flask import Response, request, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user

from app.committee.services import is_member
from app.core import clock
from app.core.audit import audit, refuse
from app.core.errors import InvalidInput
from app.exports.archive import check_passphrase, write_encrypted_zip
from app.exports.csv_export import csv_stream
from app.exports.models import record_export
from app.exports.xlsx_export import write_xlsx
from app.extensions import db
from app.i18n.locale import current_language
from app.indicators import children_list, exports, queries, report, tables
from app.indicators import period as periods
from app.indicators.blueprint import (
    bp,
    chosen_school,
    committee_only,
    district_schools,
)
from app.indicators.exports import Format, Heading, Variant
from app.indicators.forms import ChildListForm

CHUNK = 64 * 1024


def member_only() -> None:
    """A committee member with no district has no figures and no list."""
    if not is_member(current_user):
        refuse("page", request.endpoint)


@bp.get("/indicators/export")
@committee_only
def export():
    member_only()
    args, today = request.args, clock.today()
    period = periods.chosen(args.get("period"), args.get("from"), args.get("to"), today)
    school = chosen_school(args.get("school"), district_schools(current_user.district))
    asked = exports.parse(args.get("format"), args.get("variant"), args.get("table"))
    children = queries.scope(current_user, school.id if school else None)
    built = exports.chosen_tables(asked, tables.build(children, period, today, asked.part))
    chosen = exports.figures(built, asked.variant)
    heading = Heading(current_user.district, school.name if school else "", period)
    body = _indicators_file(asked, chosen, heading, school)
    rows = sum(len(figures) for _table, figures in chosen)
    _record("indicators", asked.format, asked.variant, period, school, rows, asked.part)
    db.session.commit()
    return _download(body, asked.format, exports.file_name(asked, period))


def _indicators_file(asked, chosen, heading, school) -> object:
    if asked.format is Format.CSV:
        return stream_with_context(csv_stream(exports.as_one(chosen, heading)))
    if asked.format is Format.XLSX:
        return _temporary(lambda target: write_xlsx(exports.as_sheets(chosen, heading), target))
    return report.pdf(chosen, heading.district, school, heading.period, asked.variant)


@bp.post("/indicators/children")
@committee_only
def children_export():
    """The followed children as children.csv or children.xlsx in an encrypted ZIP archive."""
    member_only()
    form = ChildListForm()
    if not form.validate_on_submit():
        raise InvalidInput(_("This form is damaged. Please reload the page and try again."), 400)
    today = clock.today()
    period = periods.chosen(form.period.data, form.start.data, form.end.data, today)
    school = chosen_school(form.school.data, district_schools(current_user.district))
    chosen_format = _list_format(form.format.data)
    passphrase = form.passphrase.data or ""
    check_passphrase(passphrase)
    statement = children_list.statement(
        current_user, school.id if school else None, period, today, current_language()
    )
    result = db.session.execute(statement.execution_options(yield_per=children_list.BATCH))
    counted = _audited(children_list.rows(result))
    files = {
        f"children.{chosen_format.value}": _list_file(chosen_format, children_list.table(counted))
    }
    target = _temporary(lambda target: write_encrypted_zip(target, files, passphrase))
    _record("children", chosen_format, Variant.COMMITTEE, period, school, counted.count, None)
    db.session.commit()
    dates = f"{period.starts_on.isoformat()}-{period.ends_on.isoformat()}"
    return _download(target, "zip", f"children-{dates}.zip")


def _temporary(write) -> IO[bytes]:
    """A temporary file `write` fills: sent, then closed by the response (closed here if the
    writing fails)."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _sent or below
    try:
        write(target)
    except BaseException:
        target.close()
        raise
    return target


def _list_format(raw: str | None) -> Format:
    if raw not in (Format.CSV, Format.XLSX):
        raise InvalidInput(_("Choose CSV or XLSX."), status=400)
    return Format(raw)


class _Audited:
    """The rows of the list, each child audited as exported, counted as they go."""

    def __init__(self, rows: Iterator):
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator[dict]:
        for child_id, row in self.rows:
            audit("export", "child", child_id)
            self.count += 1
            yield row


def _audited(rows: Iterator) -> _Audited:
    return _Audited(rows)


def _list_file(chosen_format: Format, table) -> Iterator[bytes]:
    if chosen_format is Format.CSV:
        return (chunk.encode("utf-8") for chunk in csv_stream(table))
    return _xlsx_chunks(table)


def _xlsx_chunks(table) -> Iterator[bytes]:
    """The workbook written to a temporary file, then read back a chunk at a time."""
    with tempfile.TemporaryFile() as workbook:
        write_xlsx([table], workbook)
        workbook.seek(0)
        while chunk := workbook.read(CHUNK):
            yield chunk


def _record(kind, chosen_format, variant, period, school, rows, part) -> None:
    record_export(
        current_user.id,
        kind=kind,
        part=part,
        format=str(chosen_format),
        variant=str(variant),
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        school_id=school.id if school else None,
        rows=rows,
    )


def _download(body: object, kind: str, file_name: str) -> Response:
    """An attachment with an ASCII name that names no one, kept by no cache."""
    headers = {
        "Content-Disposition": f'attachment; filename="{file_name}"',
        "Cache-Control": "no-store",
    }
    if hasattr(body, "read"):
        headers["Content-Length"] = str(body.seek(0, 2))
        body.seek(0)
        body = _sent(body)
    return Response(body, mimetype=exports.MIMETYPES[kind], headers=headers)


def _sent(file) -> Iterator[bytes]:
    """A temporary file's content a chunk at a time; the file is closed (and gone) after."""
    with file:
        while chunk := file.read(CHUNK):
            yield chunk
