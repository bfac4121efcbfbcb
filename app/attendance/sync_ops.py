"""Attendance marks recorded offline: the "attendance_mark" kind of sync op.

Two devices may change the same child's mark on the same day while offline. Whatever order
their ops arrive in, the value recorded later on its device is kept and the other is stored
in the mark's history, flagged as a conflict: the result does not depend on arrival order.
"""

import uuid
from datetime import date, datetime
from typing import Annotated

from flask_babel import gettext as _
from pydantic import Field
from sqlalchemy import select

from app.attendance.calendar import load_calendar
from app.attendance.models import AttendanceMark, AttendanceMarkHistory, Status
from app.attendance.services import (
    MAX_REASON,
    check_day,
    entry,
    keep_history,
    read_reason,
    read_status,
)
from app.auth.models import User
from app.children.models import Child
from app.children.services import teaches_child
from app.core import clock
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.loading import load_for_op
from app.core.models import utcnow
from app.core.rules import Malformed
from app.extensions import db
from app.sync.payload import Payload, rule
from app.sync.registry import Op, Outcome, SyncKind

KIND = "attendance_mark"


def _iso_day(value: object) -> date:
    if not isinstance(value, str):
        raise Malformed("a day was expected")
    return date.fromisoformat(value)


Reason = Annotated[str, Field(max_length=MAX_REASON)]


class AttendanceMarkPayload(Payload):
    """One child's mark on one day, checked by the roll call's own rules."""

    child_id: uuid.UUID
    class_id: uuid.UUID
    day: Annotated[date, rule(_iso_day)]
    status: Annotated[Status, rule(read_status)]
    reason: Annotated[Reason | None, rule(read_reason)] = None


def apply_mark_op(user: User, op: Op) -> Outcome:
    child, day, entry = _read(user, op)
    mark = db.session.scalar(
        select(AttendanceMark).where(AttendanceMark.child_id == child.id, AttendanceMark.day == day)
    )
    audit("attendance_sync", "child", child.id)  # written only if the op is applied
    if mark is None:
        mark = AttendanceMark(id=_new_id(op.record_id), child_id=child.id, day=day)
        db.session.add(mark)
        _write(mark, user, op, entry, child)
        return _outcome("applied", mark)
    # Someone else changed the mark since this phone last saw it. The same person correcting
    # their own mark again (the phone cannot know the server's version offline) is no conflict.
    concurrent = op.base_version != mark.version and mark.recorded_by_id != user.id
    incoming, stored = _key(op.recorded_at, entry), _key(mark.recorded_at, mark)
    same_value = (mark.status, mark.reason) == (entry.status, entry.reason)
    if incoming == stored or (same_value and incoming < stored):
        return _outcome("applied", mark)  # this value is already what the mark says
    if incoming < stored:  # recorded before the value kept now: into history, flagged
        _superseded(mark, user, op, entry)
        return _outcome("conflict", mark, _conflict_reason())
    if not same_value:
        keep_history(mark, user, conflict=concurrent)
    _write(mark, user, op, entry, child)
    if concurrent and not same_value:
        return _outcome("conflict", mark, _conflict_reason())
    return _outcome("applied", mark)


def _read(user: User, op: Op):
    payload: AttendanceMarkPayload = op.payload
    refusal = _("This child is not in any of your classes.")
    child = load_for_op(user, Child, payload.child_id, teaches_child, refusal)
    if payload.class_id != child.class_id:
        raise InvalidInput(_("A child in this roll call is not in this class."))
    # A day could be written when the device recorded it, even if the op arrives days later.
    recorded_on = min(op.recorded_at.astimezone(clock.now_local().tzinfo).date(), clock.today())
    check_day(load_calendar(), payload.day, recorded_on)  # refuses a day after it was recorded
    return child, payload.day, entry(payload.status, payload.reason, op.base_version)


SYNC_KINDS = (SyncKind(KIND, apply_mark_op, AttendanceMarkPayload),)


def _write(mark: AttendanceMark, user: User, op: Op, entry, child: Child) -> None:
    mark.class_id = child.class_id
    mark.status = entry.status
    mark.reason = entry.reason
    mark.recorded_by_id = user.id
    mark.recorded_at = op.recorded_at
    mark.received_at = utcnow()
    db.session.flush()


def _superseded(mark: AttendanceMark, user: User, op: Op, entry) -> None:
    """Keep a value that arrived after a later-recorded one, unless it is already kept."""
    already_kept = db.session.scalar(
        select(AttendanceMarkHistory.id).where(
            AttendanceMarkHistory.mark_id == mark.id,
            AttendanceMarkHistory.recorded_at == op.recorded_at,
            AttendanceMarkHistory.status == entry.status,
            AttendanceMarkHistory.reason.is_(None)
            if entry.reason is None
            else AttendanceMarkHistory.reason == entry.reason,
        )
    )
    if already_kept is not None:
        return
    db.session.add(
        AttendanceMarkHistory(
            mark_id=mark.id,
            version=None,
            status=entry.status,
            reason=entry.reason,
            recorded_by_id=user.id,
            recorded_at=op.recorded_at,
            received_at=utcnow(),
            replaced_by_id=mark.recorded_by_id,
            conflict=True,
        )
    )
    db.session.flush()


def _key(recorded_at: datetime, value) -> tuple:
    """Later on the device wins; an exact tie is broken by the value, never by arrival."""
    return (recorded_at, value.status.value, value.reason or "")


def _new_id(record_id: uuid.UUID) -> uuid.UUID:
    taken = db.session.get(AttendanceMark, record_id) is not None
    return uuid.uuid4() if taken else record_id


def _outcome(result: str, mark: AttendanceMark, reason: str | None = None) -> Outcome:
    return Outcome(result, {"id": str(mark.id), "version": mark.version}, reason)


def _conflict_reason() -> str:
    return _(
        "This mark was also changed on another phone. The one recorded later was kept; "
        "the other is in the mark's history."
    )
