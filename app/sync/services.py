"""Applying a batch of offline ops: each in its own transaction, each exactly once.

The idempotency key is (user, op id). The first request to see an op claims it in a
committed row, then applies it and records the answer in a second transaction, so a retry
while it is being applied is told 409, and a retry afterwards gets the stored answer.
"""

import hashlib
import json
import logging
import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.core.audit import refused
from app.core.errors import InvalidInput
from app.core.models import utcnow
from app.extensions import db
from app.sync import order, sealed
from app.sync.models import DONE, PROCESSING, SyncOp
from app.sync.parse import MAX_BATCH, BadBatch, parse_op, read_batch, sequence
from app.sync.registry import KINDS, Op, Outcome

__all__ = ["MAX_BATCH", "BadBatch", "apply_batch", "fingerprint", "parse_op", "read_batch"]

log = logging.getLogger(__name__)

# A claim this old belongs to a request that died half-way; a retry may take it over.
STALE_CLAIM = timedelta(minutes=2)


def fingerprint(raw_op: dict) -> str:
    canonical = json.dumps(raw_op, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def apply_batch(user: User, device_id: uuid.UUID | None, raw_ops: list[dict]) -> list[dict]:
    """Answer every op; ops are applied in the device's order (by sequence number)."""
    ordered = sorted(raw_ops, key=sequence)
    answers = {id(raw): apply_one(user, device_id, raw) for raw in ordered}
    return [answers[id(raw)] for raw in raw_ops]


def apply_one(user: User, device_id: uuid.UUID | None, raw: dict) -> dict:
    try:
        op = parse_op(raw)
    except sealed.Unsealable as error:
        refused("sync_op", _op_id_or_none(raw), action="sync_refused")
        return _rejected(raw.get("op_id"), error)
    except InvalidInput as error:
        return _rejected(raw.get("op_id"), error)
    claim, early_answer = _claim(user, device_id, op, fingerprint(raw))
    if early_answer is not None:
        return early_answer
    return _apply_claimed(user, op, claim)


def _claim(user, device_id, op: Op, fp: str) -> tuple[SyncOp | None, dict | None]:
    """Claim the op for this request, or answer at once (duplicate, 409 or 422)."""
    existing = db.session.get(SyncOp, (user.id, op.op_id))
    if existing is None:
        claim = SyncOp(
            user_id=user.id,
            op_id=op.op_id,
            fingerprint=fp,
            kind=op.kind,
            device_id=device_id,
            seq=op.seq,
            record_id=op.record_id,
            restamped_from=op.restamped_from,
            state=PROCESSING,
        )
        db.session.add(claim)
        try:
            db.session.commit()
        except IntegrityError:  # another request claimed it in the same instant
            db.session.rollback()
            return _claim(user, device_id, op, fp)
        return claim, None
    if existing.fingerprint != fp:
        return None, _answer(
            op.op_id,
            422,
            "rejected",
            _(
                "This entry's id was already used for different content. "
                "Discard it and record it again."
            ),
        )
    if existing.state == DONE:
        return None, _replayed(json.loads(existing.result))
    if existing.claimed_at > utcnow() - STALE_CLAIM:
        return None, _answer(op.op_id, 409, "in_progress", _("This entry is still being saved."))
    existing.claimed_at = utcnow()  # the request that claimed it died: take it over
    db.session.commit()
    return existing, None


def _replayed(stored: dict) -> dict:
    """The stored answer, told again: a superseded op stays superseded, else a duplicate."""
    return stored if stored["result"] == "superseded" else {**stored, "result": "duplicate"}


def _apply_claimed(user: User, op: Op, claim: SyncOp) -> dict:
    if order.superseded(claim):
        return _settle(claim, _answer(op.op_id, 200, "superseded"))
    op = replace(op, own_version=order.own_version(claim))
    try:
        outcome = _handle(user, op)
    except InvalidInput as error:
        db.session.rollback()
        _release(claim)  # nothing was applied: a retry is judged afresh
        return _rejected(op.op_id, error)
    except Exception:
        db.session.rollback()
        log.exception("Sync op of kind %s failed", op.kind)
        _release(claim)
        return _answer(op.op_id, 500, "error", _("The server could not save this entry yet."))
    answer = _answer(op.op_id, 200, outcome.result, outcome.reason, outcome.record)
    if outcome.link:
        answer["link"] = outcome.link
    return _settle(claim, answer)


def _handle(user: User, op: Op) -> Outcome:
    """Apply the op with its kind's handler. A clash on a natural key (another request wrote
    the same child's mark, the same id… in the same instant) is no error: the op is applied
    once more in a fresh transaction, where the other row is seen and the kind's own rules
    decide (duplicate, conflict, refusal)."""
    try:
        outcome = KINDS[op.kind].handler(user, op)
        db.session.flush()
        return outcome
    except IntegrityError:
        db.session.rollback()
        outcome = KINDS[op.kind].handler(user, op)
        db.session.flush()
        return outcome


def _settle(claim: SyncOp, answer: dict) -> dict:
    claim.state = DONE
    claim.result = json.dumps(answer)
    claim.completed_at = utcnow()
    db.session.commit()
    return answer


def _release(claim: SyncOp) -> None:
    db.session.delete(claim)
    db.session.commit()


def _rejected(op_id: Any, error: InvalidInput) -> dict:
    status = error.status if 400 <= error.status < 500 else 422
    answer = _answer(op_id, status, "rejected", str(error.message))
    if error.code:
        answer["code"] = error.code
    return answer


def _answer(op_id: Any, status: int, result: str, reason=None, record=None) -> dict:
    answer = {
        "op_id": str(op_id) if isinstance(op_id, str | uuid.UUID) else None,
        "status": status,
        "result": result,
    }
    if reason:
        answer["reason"] = str(reason)
    if record:
        answer["record"] = record
    return answer


def _op_id_or_none(raw: dict) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw.get("op_id")))
    except ValueError:
        return None
