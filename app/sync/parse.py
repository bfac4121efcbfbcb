"""Reading a batch and its ops as sent: anything malformed is refused with a translated
message (the whole batch when its shape is wrong, else that op alone), never a 5xx."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from app.core.errors import InvalidInput
from app.core.models import utcnow
from app.sync import payload as payloads
from app.sync import sealed
from app.sync.registry import KINDS, Op

MAX_BATCH = 200
MAX_INT = 2**31 - 1  # the database's integer: a larger seq or version is no real one
# No op needs more nesting than this (a visit report's actions are four deep); bounding it
# keeps every later step (fingerprint, checks, handlers) far from Python's recursion limit.
MAX_DEPTH = 16
CLOCK_SLACK = timedelta(minutes=10)
# The code of a rejection because the device's clock is ahead: the phone re-stamps and retries.
CLOCK_AHEAD = "clock_ahead"


class BadBatch(Exception):
    """The request as a whole is malformed (a client bug, not something a person can fix)."""


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


def parse_op(raw: dict) -> Op:
    if depth(raw) > MAX_DEPTH:
        raise _damaged()
    try:
        op_id = uuid.UUID(_text(raw["op_id"]))
        record_id = uuid.UUID(_text(raw["record_id"]))
        base_version = _count(raw["base_version"])
        seq = _count(raw.get("seq", 0))
        recorded_at = _moment(raw["recorded_at"])
        first = raw.get("restamped_from")
        restamped = _moment(first) if first is not None else None
    except (KeyError, ValueError, TypeError, OverflowError) as error:
        raise _damaged() from error
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        raise InvalidInput(_("This kind of entry is not known to the server."))
    if recorded_at > utcnow() + CLOCK_SLACK:
        message = _("This phone's clock is ahead of the real time. Correct it and retry.")
        raise InvalidInput(message, code=CLOCK_AHEAD)
    payload = _payload(raw)
    return Op(op_id, kind, record_id, base_version, recorded_at, seq, payload, restamped)


def sequence(raw: dict) -> int:
    """The op's place in the device's order, for sorting a batch (0 if it has none)."""
    seq = raw.get("seq")
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else 0


def depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                children = item.values() if isinstance(item, dict) else item
                stack.extend((child, level + 1) for child in children)
    return deepest


def _payload(raw: dict) -> payloads.Payload:
    """The payload as its kind's model; a sealed kind's is opened first (see sealed.py)."""
    try:
        payload = sealed.plain_payload(raw)
    except KeyError as error:
        raise _damaged() from error
    if not isinstance(payload, dict) or depth(payload) > MAX_DEPTH:
        raise _damaged()
    return payloads.read(KINDS[raw["kind"]].payload, payload)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("a text was expected")
    return value


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("a whole number was expected")
    if not 0 <= value <= MAX_INT:
        raise ValueError("out of range")
    return value


def _moment(value: Any) -> datetime:
    """An ISO time with its offset, that exists in UTC too (not past year 9999)."""
    moment = datetime.fromisoformat(_text(value))
    if moment.tzinfo is None:
        raise ValueError("a time with its offset was expected")
    moment.astimezone(UTC)  # OverflowError at the edges of the calendar
    return moment


def _damaged() -> InvalidInput:
    return InvalidInput(_("This entry is incomplete or damaged."))
