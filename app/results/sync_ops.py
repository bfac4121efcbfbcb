"""Term results entered offline: the "term_result" kind of sync op.

Two teachers (or two phones) may correct the same child's result while offline. Whatever order
their ops arrive in, the value recorded later on its device is kept and the other goes into
the result's history, flagged as a conflict: the result does not depend on arrival order.
"""

import uuid
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.children.models import Child
from app.core import clock
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.loading import load_for_op
from app.core.models import utcnow
from app.extensions import db
from app.results import services
from app.results.models import Subject, TermResult, TermResultHistory
from app.results.subjects import teaches
from app.sync.payload import Payload
from app.sync.registry import Op, Outcome, SyncKind

KIND = "term_result"


class TermResultPayload(Payload):
    """One child's result in one subject for one term, checked by the sheet's own rules."""

    child_id: uuid.UUID
    class_id: uuid.UUID
    subject_id: uuid.UUID
    term: int
    percentage: int | None = None
    mark: int | None = None
    comment: str | None = None


def apply_result_op(user: User, op: Op) -> Outcome:
    child, subject, term, entry = _read(user, op)
    result = db.session.scalar(
        select(TermResult).where(
            TermResult.child_id == child.id,
            TermResult.subject_id == subject.id,
            TermResult.term_id == term.id,
        )
    )
    audit("results_sync", "child", child.id)  # written only if the op is applied
    if result is None:
        if entry.empty:
            raise InvalidInput(_("There is nothing to save for this child."))
        result = TermResult(
            id=_new_id(op.record_id), child_id=child.id, subject_id=subject.id, term_id=term.id
        )
        db.session.add(result)
        _write(result, user, op, entry, child)
        return _outcome("applied", result)
    if entry.empty:
        raise InvalidInput(_("A result once recorded cannot be emptied: correct it instead."))
    # Someone else changed it since this phone last saw it; the same person correcting their
    # own result again (the phone cannot know the server's version offline) is no conflict.
    concurrent = op.base_version != result.version and result.recorded_by_id != user.id
    incoming, stored = _key(op.recorded_at, entry), _key(result.recorded_at, result)
    same_value = _value(result) == _value(entry)
    if incoming == stored or (same_value and incoming < stored):
        return _outcome("applied", result)  # this value is already what the result says
    if incoming < stored:  # recorded before the value kept now: into history, flagged
        _superseded(result, user, op, entry)
        return _outcome("conflict", result, _conflict_reason())
    if not same_value:
        services.keep_history(result, user, conflict=concurrent)
    _write(result, user, op, entry, child)
    if concurrent and not same_value:
        return _outcome("conflict", result, _conflict_reason())
    return _outcome("applied", result)


def _read(user: User, op: Op):
    payload: TermResultPayload = op.payload
    refusal = _("You do not enter this subject's results for this child.")

    def may_enter(person: User, child: Child) -> bool:
        return teaches(person.id, child.class_id, payload.subject_id)

    child = load_for_op(user, Child, payload.child_id, may_enter, refusal)
    if payload.class_id != child.class_id:
        raise InvalidInput(_("A child on this sheet is not in this class."))
    subject = db.session.get(Subject, payload.subject_id)  # exists: may_enter found it taught
    school_class = child.school_class
    term = services.term_of(school_class, payload.term)
    if term is None:
        raise InvalidInput(_("There is no such term in this school year."))
    # A term could be written when the device recorded it, even if the op arrives later.
    recorded_on = min(op.recorded_at.astimezone(clock.now_local().tzinfo).date(), clock.today())
    services.check_sheet(school_class, subject, term, recorded_on)
    entry = services.entry(
        school_class.grade, payload.percentage, payload.mark, payload.comment, op.base_version
    )
    return child, subject, term, entry


SYNC_KINDS = (SyncKind(KIND, apply_result_op, TermResultPayload),)


def _write(result: TermResult, user: User, op: Op, entry, child: Child) -> None:
    result.class_id = child.class_id
    result.percentage, result.mark, result.comment = entry.percentage, entry.mark, entry.comment
    result.recorded_by_id = user.id
    result.recorded_at = op.recorded_at
    result.received_at = utcnow()
    db.session.flush()


def _superseded(result: TermResult, user: User, op: Op, entry) -> None:
    """Keep a value that arrived after a later-recorded one, unless it is already kept."""
    kept = db.session.scalars(
        select(TermResultHistory).where(
            TermResultHistory.result_id == result.id,
            TermResultHistory.recorded_at == op.recorded_at,
        )
    )
    if any(_value(old) == _value(entry) for old in kept):
        return
    db.session.add(
        TermResultHistory(
            result_id=result.id,
            version=None,
            percentage=entry.percentage,
            mark=entry.mark,
            comment=entry.comment,
            recorded_by_id=user.id,
            recorded_at=op.recorded_at,
            received_at=utcnow(),
            replaced_by_id=result.recorded_by_id,
            conflict=True,
        )
    )
    db.session.flush()


def _value(value) -> tuple:
    return (value.percentage, value.mark, value.comment)


def _key(recorded_at: datetime, value) -> tuple:
    """Later on the device wins; an exact tie is broken by the value, never by arrival."""
    percentage, mark, comment = _value(value)
    return (recorded_at, -1 if percentage is None else percentage, mark or 0, comment or "")


def _new_id(record_id: uuid.UUID) -> uuid.UUID:
    taken = db.session.get(TermResult, record_id) is not None
    return uuid.uuid4() if taken else record_id


def _outcome(result: str, record: TermResult, reason: str | None = None) -> Outcome:
    return Outcome(result, {"id": str(record.id), "version": record.version}, reason)


def _conflict_reason() -> str:
    return _(
        "This result was also changed on another phone. The one recorded later was kept; "
        "the other is in the result's history."
    )
