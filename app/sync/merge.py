"""Field-level merge for records other than attendance marks.

An op for such a record carries, for each field the device changed, the value it started
from and its new value: {"fields": {"name": {"base": …, "value": …}}}. A field whose value is
its base was not changed on the device and is left alone. Fields the server did not change
meanwhile are applied; a field both sides changed to different values keeps the server's
value and is listed in a SyncConflict for a person to resolve. Nothing is discarded.

An op that continues the device's own state (the record is still as the device's previous op
of it left it: Op.own_version, see order.py) is the device's latest word: its values are
applied as they are, over what its earlier op wrote, with no conflict.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict

from app.core.errors import InvalidInput
from app.core.models import utcnow
from app.extensions import db
from app.sync.models import OPEN, RESOLVED, SyncConflict
from app.sync.payload import Payload
from app.sync.registry import Op, Outcome


@dataclass
class Merge:
    applied: list[str] = field(default_factory=list)
    conflicts: dict[str, dict[str, Any]] = field(default_factory=dict)


class Change(BaseModel):
    """One field's change: the value the device started from, and its new value."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    base: Any = None
    value: Any = None


class FieldChanges(Payload):
    """The payload of a kind merged field by field: {"fields": {name: Change}}."""

    fields: dict[str, Change]


def read_changes(op: Op, editable: set[str]) -> dict[str, tuple[Any, Any]]:
    """The (base, value) pairs of an op; a field the user may not set is refused."""
    fields = op.payload.fields
    if set(fields) - editable:
        raise InvalidInput(_("This entry changes something that cannot be changed here."))
    return {name: (change.base, change.value) for name, change in fields.items()}


def continues_device(record: Any, op: Op) -> bool:
    """Nobody changed `record` since the device's previous op of it applied (order.py)."""
    return op.own_version is not None and getattr(record, "version", None) == op.own_version


def rebased(record: Any, changes: dict[str, tuple[Any, Any]]) -> dict[str, tuple[Any, Any]]:
    """The changes as made over the record as it is: each value is the device's latest."""
    return {name: (getattr(record, name), value) for name, (_base, value) in changes.items()}


def merge(record: Any, changes: dict[str, tuple[Any, Any]]) -> Merge:
    """Three-way merge of the device's changes into `record` (which is modified in place)."""
    result = Merge()
    for name, (base, value) in changes.items():
        if base == value:
            continue  # the device did not change it
        current = getattr(record, name)
        if current == value:
            continue  # both sides agree
        if current == base:
            setattr(record, name, value)
            result.applied.append(name)
        else:
            result.conflicts[name] = {"base": base, "server": current, "device": value}
    return result


def merge_op(record: Any, record_type: str, op: Op, user: Any, editable: set[str]) -> Outcome:
    """Apply an op's changes to `record`; conflicting fields go to a SyncConflict."""
    changes = read_changes(op, editable)
    if continues_device(record, op):
        changes = rebased(record, changes)
    outcome = merge(record, changes)
    db.session.flush()
    snapshot = {"id": str(record.id), "version": getattr(record, "version", None)}
    if not outcome.conflicts:
        return Outcome("applied", snapshot)
    db.session.add(
        SyncConflict(
            record_type=record_type,
            record_id=record.id,
            op_id=op.op_id,
            user_id=user.id,
            fields=json.dumps(outcome.conflicts, default=str),
        )
    )
    db.session.flush()
    names = ", ".join(sorted(outcome.conflicts))
    reason = _(
        "Someone else changed the same fields meanwhile (%(fields)s). Your other changes "
        "were saved; these wait for a person to choose.",
        fields=names,
    )
    return Outcome("conflict", snapshot, reason)


def resolve(conflict: SyncConflict, record: Any, choices: dict[str, str], user: Any) -> None:
    """Settle a conflict: for each field, keep the "server" value or take the "device" one."""
    if conflict.state != OPEN:
        raise InvalidInput(_("This conflict was already resolved."), status=409)
    fields = json.loads(conflict.fields)
    if set(choices) != set(fields) or not set(choices.values()) <= {"server", "device"}:
        raise InvalidInput(_("Choose which value to keep for every field."))
    for name, choice in choices.items():
        if choice == "device":
            setattr(record, name, fields[name]["device"])
    conflict.state = RESOLVED
    conflict.resolved_by_id = user.id
    conflict.resolved_at = utcnow()
    db.session.flush()
