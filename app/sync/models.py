"""What the server remembers of each offline operation, so it is applied exactly once."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import UTCDateTime, utcnow
from app.extensions import db

PROCESSING = "processing"
DONE = "done"


class SyncOp(db.Model):
    """One op a user's device sent: its fingerprint, and the result once applied.

    `record_id` and `seq` let ops of one record from one device be ordered by the device's
    sequence, never by arrival; `restamped_from` keeps the time the device first gave an op
    that was sent again with a corrected clock.
    """

    __tablename__ = "sync_op"
    __table_args__ = (Index("ix_sync_op_device_record", "device_id", "kind", "record_id", "seq"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"), primary_key=True)
    op_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(40))
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    seq: Mapped[int | None] = mapped_column(Integer)
    record_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    restamped_from: Mapped[datetime | None] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(16), default=PROCESSING)
    result: Mapped[str | None] = mapped_column(Text)  # the JSON answer, kept for retries
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


OPEN = "open"
RESOLVED = "resolved"


class SyncConflict(db.Model):
    """Fields that a device and the server both changed: kept for a person to resolve.

    `fields` is JSON: {field: {"base": …, "server": …, "device": …}} — the value the device
    started from, the value the server had when the op arrived, and the device's value.
    """

    __tablename__ = "sync_conflict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    op_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    fields: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default=OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
