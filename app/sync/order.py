"""The device's order among ops of one record: its sequence decides, never arrival.

Ops of one record from one device converge to the last state recorded on the device,
whatever order they arrive in (issue 10, point 1):
- an op that arrives after a later one (higher seq) of the same record from the same device
  was applied is superseded: it is settled and nothing is written;
- an op whose device's previous op of the record applied cleanly carries the record's
  version right after it (Op.own_version): if nobody changed the record since, the op
  continues the device's own state (see merge.merge).
"""

import json

from sqlalchemy import select

from app.extensions import db
from app.sync.models import DONE, SyncOp


def _same_record(claim: SyncOp):
    return select(SyncOp).where(
        SyncOp.user_id == claim.user_id,
        SyncOp.device_id == claim.device_id,
        SyncOp.kind == claim.kind,
        SyncOp.record_id == claim.record_id,
        SyncOp.state == DONE,
    )


def superseded(claim: SyncOp) -> bool:
    """A later op of this record from this device was already applied."""
    if claim.device_id is None:
        return False
    later = _same_record(claim).where(SyncOp.seq > claim.seq).limit(1)
    return db.session.scalars(later).first() is not None


def own_version(claim: SyncOp) -> int | None:
    """The record's version after this device's previous op of it, if that op applied cleanly."""
    if claim.device_id is None:
        return None
    earlier = _same_record(claim).where(SyncOp.seq < claim.seq).order_by(SyncOp.seq.desc())
    previous = db.session.scalars(earlier.limit(1)).first()
    if previous is None:
        return None
    answer = json.loads(previous.result)
    if answer.get("result") != "applied":
        return None  # a conflict waits for a person: the device's state is not the record's
    version = answer.get("record", {}).get("version")
    return version if isinstance(version, int) else None
