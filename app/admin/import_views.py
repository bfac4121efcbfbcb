"""Roster import pages: upload a file, match its columns, check every row, import."""

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.admin import roster
from app.admin.blueprint import bp
from app.admin.roster_fields import FIELDS, guess_columns
from app.auth.permissions import admin_required
from app.children.models import School
from app.core import clock
from app.core.audit import refuse
from app.core.errors import InvalidInput
from app.core.loading import load
from app.extensions import db
from app.uploads import services as uploads
from app.uploads.fields import text
from app.uploads.limits import MAX_BYTES, MAX_ROWS, TableFileError
from app.uploads.models import Upload
from app.uploads.read import Table


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def roster_upload():
    schools = roster.current_schools()
    if request.method == "GET":
        return _upload_page(schools)
    school = _school_from(request.form.get("school", ""), schools)
    file = request.files.get("file")
    errors = {}
    if school is None:
        errors["school"] = _("Choose the school the roster is for.")
    if file is None or not file.filename:
        errors["file"] = _("Choose a file to upload.")
    if errors:
        return _upload_page(schools, errors, school)
    try:
        upload, _table = roster.store_upload(current_user, file.filename, file.read(MAX_BYTES + 1))
    except TableFileError as error:
        return _upload_page(schools, {"file": error.message}, school, error.status)
    db.session.commit()
    return redirect(url_for(".roster_columns", upload_id=upload.id, school=school.id), 303)


def _upload_page(
    schools: list[School], errors: dict | None = None, school: School | None = None, status=422
):
    page = render_template(
        "admin/roster_upload.html",
        schools=schools,
        chosen=school.id if school else None,
        errors=errors or {},
        max_megabytes=MAX_BYTES // (1024 * 1024),
        max_rows=MAX_ROWS,
    )
    return page, status if errors else 200


def _school_from(raw: str, schools: list[School]) -> School | None:
    return next((school for school in schools if str(school.id) == raw), None)


@bp.get("/import/<uuid:upload_id>/columns")
@admin_required
def roster_columns(upload_id: uuid.UUID):
    upload, school, table = _loaded(upload_id)
    chosen = any(field.key in request.args for field in FIELDS)
    mapping = roster.mapping_from(request.args, table) if chosen else guess_columns(table.header)
    return _columns_page(upload, school, table, mapping)


def _columns_page(upload, school: School, table: Table, mapping: dict, status: int = 200):
    page = render_template(
        "admin/roster_columns.html",
        upload=upload,
        school=school,
        fields=FIELDS,
        columns=table.column_names(),
        examples=_examples(table),
        mapping=mapping,
        missing=roster.missing_columns_message(mapping),
    )
    return page, status


def _examples(table: Table) -> list[str]:
    """The first value under each column, to tell columns apart in the lists."""
    examples = [""] * len(table.header)
    for _number, cells in table.rows[:20]:
        for index, cell in enumerate(cells):
            examples[index] = examples[index] or text(cell)[:40]
    return examples


@bp.get("/import/<uuid:upload_id>/preview")
@admin_required
def roster_preview(upload_id: uuid.UUID):
    upload, school, table = _loaded(upload_id)
    mapping = roster.mapping_from(request.args, table)
    if roster.missing_columns_message(mapping):
        return _columns_page(upload, school, table, mapping, 422)
    result = roster.check(table, mapping, school, clock.today())
    return _preview_page(upload, school, mapping, result)


def _preview_page(upload, school, mapping, result, error: str | None = None):
    page = render_template(
        "admin/roster_preview.html",
        upload=upload,
        school=school,
        mapping=mapping,
        result=result,
        error=error,
    )
    return page, 422 if error else 200


@bp.post("/import/<uuid:upload_id>/import")
@admin_required
def roster_import(upload_id: uuid.UUID):
    upload, school, table = _loaded(upload_id)
    mapping = roster.mapping_from(request.form, table)
    if roster.missing_columns_message(mapping):
        return _columns_page(upload, school, table, mapping, 422)
    result = roster.check(table, mapping, school, clock.today())
    if result.problems and not request.form.get("skip"):
        refusal = _(
            "The file has problems. Correct them and upload the file again, "
            "or tick “Skip the rows with problems”."
        )
        return _preview_page(upload, school, mapping, result, refusal)
    if not result.ready:
        return _preview_page(upload, school, mapping, result, roster.nothing_to_import().message)
    try:
        children = roster.import_rows(result.ready, on=clock.today())
        uploads.discard(upload)
        db.session.commit()
    except InvalidInput as error:
        db.session.rollback()
        failure = _("Nothing was imported: %(reason)s", reason=error.message)
        return _preview_page(upload, school, mapping, result, failure)
    except Exception:
        db.session.rollback()
        raise
    count = len(children)
    flash(
        ngettext(
            "%(num)d child was imported into %(school)s.",
            "%(num)d children were imported into %(school)s.",
            count,
            school=school.name,
        ),
        "success",
    )
    return redirect(url_for(".roster_upload"), 303)


@bp.post("/import/<uuid:upload_id>/discard")
@admin_required
def roster_discard(upload_id: uuid.UUID):
    upload = load(Upload, upload_id, uploads.made_by)
    uploads.discard(upload)
    db.session.commit()
    flash(_("The uploaded file was discarded; nothing was imported."), "success")
    return redirect(url_for(".roster_upload"), 303)


def _loaded(upload_id: uuid.UUID):
    """The upload (its own administrator's only), the chosen school and the file's rows."""
    upload = load(Upload, upload_id, uploads.made_by)
    school = _school_from(request.values.get("school", ""), roster.current_schools())
    if school is None:
        refuse("school")
    try:
        table = roster.read_roster(upload.filename, upload.content)
    except TableFileError:  # it was read when uploaded; only a changed limit gets here
        abort(404)
    return upload, school, table
