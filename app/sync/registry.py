"""Kinds of record that can be written offline: each declared once, in its domain, as a
SyncKind (its payload model, whether a phone seals it, the function that applies it), and
registered at start-up (see create_app); sync knows none of them.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.sync.payload import Payload


@dataclass(frozen=True)
class Op:
    """One offline write, as the device recorded it."""

    op_id: uuid.UUID
    kind: str
    record_id: uuid.UUID
    base_version: int
    recorded_at: datetime
    seq: int
    payload: Any  # the kind's Payload model, checked
    # When the op was first stamped by the device, if it was sent again re-stamped with a
    # corrected clock (kept for the record; the op is judged by recorded_at).
    restamped_from: datetime | None = None
    # The record's version right after this device's previous op of the record applied
    # cleanly: if the record is still at it, nobody else changed it since, and this op
    # continues the device's own state (see merge.merge). None when there is no such op.
    own_version: int | None = None


@dataclass
class Outcome:
    """What applying an op did: "applied", or "conflict" (resolved and kept in history, or,
    with a `link`, waiting for a person on the page it names)."""

    result: str
    record: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None
    link: str | None = None


Handler = Callable[[Any, Op], Outcome]


@dataclass(frozen=True)
class SyncKind:
    """A kind of op: `payload` checks its content (the handler gets the checked model as
    Op.payload) and describes it in /openapi.json; a `sealed` kind's content is encrypted on
    the phone for the server alone (see sealed.py)."""

    name: str
    handler: Handler
    payload: type[Payload]
    sealed: bool = False


KINDS: dict[str, SyncKind] = {}


def register(kind: SyncKind) -> None:
    KINDS[kind.name] = kind
