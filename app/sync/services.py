"""Applying a batch of offline ops: each in its own transaction, each exactly once.

The idempotency key is (user, op id). The first request to see an op claims it in a
committed row, then applies it and records the answer in a second transaction, so a retry
while it is being applied is told 409, and a retry afterwards gets the stored answer.
"""

import hashlib
import json
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.core.audit import refused
from app.core.errors import InvalidInput
from app.core.models import utcnow
from app.extensions import db
from app.sync import sealed
from app.sync.models import DONE, PROCESSING, SyncOp
from app.sync.registry import HANDLERS, Op

log = logging.getLogger(__name__)

MAX_BATCH = 200
# The code of a rejection because the device's clock is ahead: the phone re-stamps and retries.
CLOCK_AHEAD = "clock_ahead"
# A claim this old belongs to a request that died half-way; a retry may take it over.
STALE_CLAIM = timedelta(minutes=2)


class BadBatch(Exception):
    """The request as a whole is malformed (a client bug, not something a person can fix)."""


def fingerprint(raw_op: dict) -> str:
    canonical = json.dumps(raw_op, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def read_batch(body: Any) -> tuple[uuid.UUID | None, list[dict]]:
    if not isinstance(body, dict) or not isinstance(body.get("ops"), list):
        raise BadBatch(_("The request must be an object with a list of ops."))
    ops = body["ops"]
    if len(ops) > MAX_BATCH:
        raise BadBatch(
            ngettext(
                "At most %(num)d entry can be sent at once.",
                "At most %(num)d entries can be sent at once.",
                MAX_BATCH,
            )
        )
    if not all(isinstance(op, dict) for op in ops):
        raise BadBatch(_("Every op must be an object."))
    try:
        device_id = uuid.UUID(body["device_id"]) if body.get("device_id") else None
    except (ValueError, TypeError, AttributeError) as error:
        raise BadBatch(_("The device id is not valid.")) from error
    return device_id, ops


def apply_batch(user: User, device_id: uuid.UUID | None, raw_ops: list[dict]) -> list[dict]:
    """Answer every op; ops are applied in the device's order (by sequence number)."""
    ordered = sorted(raw_ops, key=lambda raw: _int_or(raw.get("seq"), 0))
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


def parse_op(raw: dict) -> Op:
    try:
        op_id = uuid.UUID(str(raw["op_id"]))
        record_id = uuid.UUID(str(raw["record_id"]))
        base_version = int(raw["base_version"])
        seq = int(raw.get("seq", 0))
        recorded_at = datetime.fromisoformat(str(raw["recorded_at"]))
    except (KeyError, ValueError, TypeError) as error:
        raise InvalidInput(_("This entry is incomplete or damaged.")) from error
    if recorded_at.tzinfo is None or base_version < 0:
        raise InvalidInput(_("This entry is incomplete or damaged."))
    if raw.get("kind") not in HANDLERS:
        raise InvalidInput(_("This kind of entry is not known to the server."))
    if recorded_at > utcnow() + timedelta(minutes=10):
        raise InvalidInput(
            _("This phone's clock is ahead of the real time. Correct it and retry."),
            code=CLOCK_AHEAD,
        )
    payload = _payload(raw)
    restamped_from = _restamped_from(raw)
    return Op(
        op_id, raw["kind"], record_id, base_version, recorded_at, seq, payload, restamped_from
    )


def _restamped_from(raw: dict) -> datetime | None:
    """The time the device first gave an op it sends again re-stamped: a time with an offset."""
    if raw.get("restamped_from") is None:
        return None
    try:
        first = datetime.fromisoformat(raw["restamped_from"])
    except (TypeError, ValueError) as error:
        raise InvalidInput(_("This entry is incomplete or damaged.")) from error
    if first.tzinfo is None:
        raise InvalidInput(_("This entry is incomplete or damaged."))
    return first


def _payload(raw: dict) -> dict:
    """The plain payload; a sealed kind's is opened here (see sealed.py)."""
    try:
        payload = sealed.plain_payload(raw)
    except KeyError as error:
        raise InvalidInput(_("This entry is incomplete or damaged.")) from error
    if not isinstance(payload, dict):
        raise InvalidInput(_("This entry is incomplete or damaged."))
    return payload


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
        stored = json.loads(existing.result)
        return None, {**stored, "result": "duplicate"}
    if existing.claimed_at > utcnow() - STALE_CLAIM:
        return None, _answer(op.op_id, 409, "in_progress", _("This entry is still being saved."))
    existing.claimed_at = utcnow()  # the request that claimed it died: take it over
    db.session.commit()
    return existing, None


def _apply_claimed(user: User, op: Op, claim: SyncOp) -> dict:
    try:
        outcome = HANDLERS[op.kind](user, op)
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
        "op_id": str(op_id) if op_id is not None else None,
        "status": status,
        "result": result,
    }
    if reason:
        answer["reason"] = str(reason)
    if record:
        answer["record"] = record
    return answer


def _int_or(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _op_id_or_none(raw: dict) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw.get("op_id")))
    except ValueError:
        return None
