"""Visit reports written on a phone: the "visit_report" kind of sync op.

payload: {"child_id": …, "fields": {name: {"base": wire value, "value": wire value}}}.
An op of a new report (base_version 0) sends the fields that differ from blank; the others
are blank. An op for a report the server has not seen creates it under the phone's id; one
for an existing report is merged field by field (app/sync/merge.py): fields changed on one
side only are applied, fields both sides changed differently wait in a SyncConflict, and
the answer links to the page where the person decides.
"""

import dataclasses
import uuid
from typing import Annotated

from flask import url_for
from flask_babel import gettext as _
from pydantic import Field

from app.auth.models import User
from app.casework import visits
from app.casework.models import VisitReport
from app.children import access
from app.children.models import Child
from app.core import clock
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.loading import load_for_op
from app.extensions import db
from app.sync.merge import Change, FieldChanges, merge_op, read_changes
from app.sync.registry import Op, Outcome, SyncKind

KIND = "visit_report"
RECORD_TYPE = "visit_report"


class VisitReportPayload(FieldChanges):
    """The child's id and, for each field changed on the phone, its wire value before and
    after (see visits.py). The values are checked as a whole report (visits.WireValues)."""

    child_id: uuid.UUID
    fields: Annotated[
        dict[str, Change], Field(json_schema_extra={"propertyNames": {"enum": visits.FIELDS}})
    ]


def apply_report_op(user: User, op: Op) -> Outcome:
    refusal = _("This child is not in your caseload.")
    child = load_for_op(user, Child, op.payload.child_id, access.in_caseload, refusal)
    changes = read_changes(op, set(visits.FIELDS))
    if op.base_version == 0:  # a new report: the fields not sent are blank
        changes = {name: (blank, blank) for name, blank in visits.BLANK.items()} | changes
    record = db.session.get(VisitReport, op.record_id)
    if record is not None and record.child_id != child.id:
        raise InvalidInput(_("This entry is incomplete or damaged."))
    if record is None:
        return _create(user, op, child, {name: value for name, (_b, value) in changes.items()})
    return _merge(user, op, record, changes)


SYNC_KINDS = (SyncKind(KIND, apply_report_op, VisitReportPayload, sealed=True),)


def _fields(changes: dict) -> FieldChanges:
    return FieldChanges(
        fields={name: Change(base=base, value=value) for name, (base, value) in changes.items()}
    )


def _create(user: User, op: Op, child: Child, values: dict) -> Outcome:
    if set(values) != set(visits.FIELDS):  # an edit of a report the server does not have
        raise InvalidInput(_("This entry is incomplete or damaged."))
    checked = visits.check_wire(values, clock.today())
    record = visits.create_report(op.record_id, child, user, checked)
    _audit(record, "create")
    return Outcome("applied", {"id": str(record.id), "version": record.version})


def _merge(user: User, op: Op, record: VisitReport, changes: dict) -> Outcome:
    # The phone's values, checked as a whole report (with the server's other fields).
    proposed = visits.wire_of(record) | {name: value for name, (_b, value) in changes.items()}
    checked = visits.check_wire(proposed, clock.today())
    fields = _fields({name: (base, checked[name]) for name, (base, _v) in changes.items()})
    normalised = dataclasses.replace(op, payload=fields)
    before = record.version
    view = visits.WireView(record, user)
    outcome = merge_op(view, RECORD_TYPE, normalised, user, set(visits.FIELDS))
    if record.version != before:
        visits.follow_actions(record)
        _audit(record, "change")
    if outcome.result == "conflict":
        _audit(record, "conflict")
        outcome.link = url_for("casework.visit_conflicts", report_id=record.id)
    outcome.record = {"id": str(record.id), "version": record.version}
    return outcome


def _audit(record: VisitReport, action: str) -> None:
    audit(f"visit_report_{action}_sync", "child", record.child_id)
    audit(f"{action}_sync", RECORD_TYPE, record.id)
