"""Import from the school's e-journal (issue 13, point 4): a teacher uploads an export of term
marks or of attendance, matches its columns, sees every row checked, and imports all or nothing.

The steps are the roster import's (app/admin/import_views.py); each kind of file checks and
writes its rows in its own domain (results/ejournal.py, attendance/history_import.py).
"""

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.attendance import history_import
from app.auth.permissions import teacher_required
from app.core import clock
from app.core.loading import load
from app.extensions import db
from app.results import ejournal
from app.results.blueprint import bp
from app.uploads import services as uploads
from app.uploads.checking import Check, Kind, Overtaken, chosen_columns
from app.uploads.fields import guess_columns, text
from app.uploads.limits import MAX_BYTES, MAX_ROWS, TableFileError
from app.uploads.models import Upload
from app.uploads.read import Table, read_table

KINDS = {"results": ejournal.KIND, "attendance": history_import.KIND}
HOME = {"results": "results.index", "attendance": "attendance.today"}
KIND_PATH = "/import/<kind>"  # a kind not in KINDS answers 404 (see _kind)


@bp.route(KIND_PATH, methods=["GET", "POST"])
@teacher_required
def ejournal_upload(kind: str):
    _kind(kind)
    if request.method == "GET":
        return _upload_page(kind)
    file = request.files.get("file")
    if file is None or not file.filename:
        return _upload_page(kind, _("Choose a file to upload."))
    content = file.read(MAX_BYTES + 1)
    try:
        read_table(file.filename, content, _kind(kind).fields)
    except TableFileError as error:
        return _upload_page(kind, error.message, error.status)
    upload = uploads.keep(current_user.id, file.filename, content)
    db.session.commit()
    return redirect(url_for(".ejournal_columns", kind=kind, upload_id=upload.id), 303)


def _upload_page(kind: str, error: str | None = None, status: int = 422):
    page = render_template(
        "results/ejournal_upload.html",
        kind=kind,
        error=error,
        max_megabytes=MAX_BYTES // (1024 * 1024),
        max_rows=MAX_ROWS,
    )
    return page, status if error else 200


@bp.get(f"{KIND_PATH}/<uuid:upload_id>/columns")
@teacher_required
def ejournal_columns(kind: str, upload_id: uuid.UUID):
    upload, table = _loaded(kind, upload_id)
    fields = KINDS[kind].fields
    chosen = any(field.key in request.args for field in fields)
    if chosen:
        mapping = chosen_columns(request.args, fields, len(table.header))
    else:
        mapping = guess_columns(table.header, fields)
    return _columns_page(kind, upload, table, mapping)


def _columns_page(kind: str, upload: Upload, table: Table, mapping: dict, status: int = 200):
    page = render_template(
        "results/ejournal_columns.html",
        kind=kind,
        upload=upload,
        fields=KINDS[kind].fields,
        columns=table.column_names(),
        examples=_examples(table),
        mapping=mapping,
        missing=KINDS[kind].missing(mapping),
    )
    return page, status


def _examples(table: Table) -> list[str]:
    """The first value under each column, to tell columns apart in the lists."""
    examples = [""] * len(table.header)
    for _number, cells in table.rows[:20]:
        for index, cell in enumerate(cells):
            examples[index] = examples[index] or text(cell)[:40]
    return examples


@bp.get(f"{KIND_PATH}/<uuid:upload_id>/preview")
@teacher_required
def ejournal_preview(kind: str, upload_id: uuid.UUID):
    upload, table = _loaded(kind, upload_id)
    importer = KINDS[kind]
    mapping = chosen_columns(request.args, importer.fields, len(table.header))
    if importer.missing(mapping):
        return _columns_page(kind, upload, table, mapping, 422)
    checked = importer.check(current_user, table, mapping, clock.today())
    return _preview_page(kind, upload, mapping, checked)


def _preview_page(kind: str, upload, mapping, checked: Check, error=None, status=200):
    KINDS[kind].audit_reads(checked)  # the page shows what is stored
    page = render_template(
        "results/ejournal_preview.html",
        kind=kind,
        upload=upload,
        mapping=mapping,
        checked=checked,
        error=error,
    )
    db.session.commit()  # the audit of what the page shows
    return page, status


@bp.post(f"{KIND_PATH}/<uuid:upload_id>/import")
@teacher_required
def ejournal_import(kind: str, upload_id: uuid.UUID):
    upload, table = _loaded(kind, upload_id)
    importer = KINDS[kind]
    mapping = chosen_columns(request.form, importer.fields, len(table.header))
    if importer.missing(mapping):
        return _columns_page(kind, upload, table, mapping, 422)
    checked = importer.check(current_user, table, mapping, clock.today())
    if checked.problems:
        refusal = _(
            "Nothing was imported: the file has problems. Correct them in the file and "
            "upload it again."
        )
        return _preview_page(kind, upload, mapping, checked, refusal, 422)
    if request.form.get("fingerprint") != checked.fingerprint:
        return _preview_page(kind, upload, mapping, checked, _overtaken(), 409)
    try:
        changed = importer.apply(current_user, checked)
        uploads.discard(upload)
        db.session.commit()
    except (Overtaken, IntegrityError, StaleDataError):
        db.session.rollback()  # changed by someone else in the same instant
        return _checked_again(kind, upload_id, mapping)
    flash(_done(kind, changed, checked.unchanged), "success")
    return redirect(url_for(HOME[kind]), 303)


def _checked_again(kind: str, upload_id: uuid.UUID, mapping: dict):
    upload, table = _loaded(kind, upload_id)
    checked = KINDS[kind].check(current_user, table, mapping, clock.today())
    return _preview_page(kind, upload, mapping, checked, _overtaken(), 409)


def _overtaken() -> str:
    return _(
        "Nothing was imported: what is stored changed after you checked the file. "
        "Check the rows again below, then import."
    )


def _done(kind: str, changed: int, unchanged: int) -> str:
    if kind == "results":
        done = ngettext("%(num)d result imported.", "%(num)d results imported.", changed)
    else:
        done = ngettext(
            "%(num)d attendance mark imported.", "%(num)d attendance marks imported.", changed
        )
    if not unchanged:
        return done
    same = ngettext(
        "%(num)d row was already in Qadam.", "%(num)d rows were already in Qadam.", unchanged
    )
    return f"{done} {same}"


@bp.post(f"{KIND_PATH}/<uuid:upload_id>/discard")
@teacher_required
def ejournal_discard(kind: str, upload_id: uuid.UUID):
    _kind(kind)
    upload = load(Upload, upload_id, uploads.made_by)
    uploads.discard(upload)
    db.session.commit()
    flash(_("The uploaded file was discarded; nothing was imported."), "success")
    return redirect(url_for(".ejournal_upload", kind=kind), 303)


def _kind(kind: str) -> Kind:
    """The kind of import the address names; any other answers 404."""
    if kind not in KINDS:
        abort(404)
    return KINDS[kind]


def _loaded(kind: str, upload_id: uuid.UUID) -> tuple[Upload, Table]:
    """The upload (its own teacher's only) and the file's rows, read for `kind`'s fields."""
    fields = _kind(kind).fields
    upload = load(Upload, upload_id, uploads.made_by)
    try:
        table = read_table(upload.filename, upload.content, fields)
    except TableFileError:  # it was read when uploaded; only a changed limit gets here
        abort(404)
    return upload, table
