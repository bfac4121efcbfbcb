"""The record of every export (issue 15, point 3): who took which figures or list, in which
format and variant, for which period and school, and how many rows. The audit trail holds
ids and fixed words only, so it names this record: audit("export", "export", its id)."""

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.audit import audit
from app.core.models import UTCDateTime, UUIDPrimaryKey, utcnow
from app.extensions import db


class Export(UUIDPrimaryKey, db.Model):
    __tablename__ = "export"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))  # "indicators", "children"
    part: Mapped[str | None] = mapped_column(String(40))  # one table's key; None: all
    format: Mapped[str] = mapped_column(String(8))  # "csv", "xlsx", "pdf"
    variant: Mapped[str] = mapped_column(String(12))  # "committee", "upwards"
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    school_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("school.id"))
    rows: Mapped[int] = mapped_column(Integer)


def record_export(user_id: uuid.UUID, **fields) -> Export:
    """Note the export and audit it, in the current unit of work (the caller commits)."""
    export = Export(id=uuid.uuid4(), user_id=user_id, at=utcnow(), **fields)
    db.session.add(export)
    audit("export", "export", export.id)
    return export
