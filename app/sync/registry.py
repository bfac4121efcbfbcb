"""Kinds of record that can be written offline, and the function that applies each.

A domain registers its kinds at start-up (see create_app); sync knows none of them.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Op:
    """One offline write, as the device recorded it."""

    op_id: uuid.UUID
    kind: str
    record_id: uuid.UUID
    base_version: int
    recorded_at: datetime
    seq: int
    payload: dict[str, Any]
    # The time the device first gave this op, when it sends it again re-stamped (its clock
    # was ahead): kept with the op on the server.
    restamped_from: datetime | None = None


@dataclass
class Outcome:
    """What applying an op did: "applied", or "conflict" (resolved, and kept in history).

    `link`: the page where a person decides a conflict that waits for them.
    """

    result: str
    record: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None
    link: str | None = None


Handler = Callable[[Any, Op], Outcome]
HANDLERS: dict[str, Handler] = {}


def register(kind: str, handler: Handler) -> None:
    HANDLERS[kind] = handler
