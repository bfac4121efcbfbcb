"""Attendance marks, their history, and the school calendar they are taken on."""

import uuid
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import Labelled, UTCDateTime, UUIDPrimaryKey, labels, string_enum, utcnow
from app.extensions import db


class Status(Labelled):
    PRESENT = "present"
    ABSENT = "absent"
    LATE = "late"
    EXCUSED = "excused"

    @property
    def attended(self) -> bool:
        return self in (Status.PRESENT, Status.LATE)


STATUS_LABELS = labels(
    {
        Status.PRESENT: _l("Present"),
        Status.ABSENT: _l("Absent"),
        Status.LATE: _l("Late"),
        Status.EXCUSED: _l("Excused"),
    }
)


def status_type():
    return string_enum(Status, "attendance_status", 16)


class Term(db.Model):
    """A school term (четверть); school days are the weekdays inside terms."""

    __tablename__ = "term"
    __table_args__ = (
        UniqueConstraint("academic_year", "number"),
        CheckConstraint("starts_on <= ends_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    academic_year: Mapped[str] = mapped_column(String(9))
    number: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)


class AttendanceMark(UUIDPrimaryKey, db.Model):
    """One child's attendance on one school day, in the class it was taken in."""

    __tablename__ = "attendance_mark"
    __table_args__ = (
        # A child's marks of a period, read without leaving the index on PostgreSQL (the
        # district's indicators: one index entry a mark, not one table page).
        UniqueConstraint("child_id", "day", postgresql_include=["status"]),
        # The per-class summary of a day (Today, the roll call): never a scan of every mark.
        Index("ix_attendance_mark_class_day", "class_id", "day"),
    )

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    class_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("school_class.id"))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[Status] = mapped_column(status_type())
    reason: Mapped[str | None] = mapped_column(String(200))
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())  # on the device
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    history: Mapped[list["AttendanceMarkHistory"]] = relationship(
        back_populates="mark", order_by="AttendanceMarkHistory.id"
    )

    __mapper_args__ = {"version_id_col": version}


class AttendanceMarkHistory(db.Model):
    """A value a mark had, or was sent, that is not its current value. Nothing is discarded.

    `version` is the version the value had while it was current; None for a value that
    arrived from a device after a value recorded later had already been kept. `conflict`
    flags values that lost to a concurrent change from another device.
    """

    __tablename__ = "attendance_mark_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mark_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendance_mark.id"), index=True)
    version: Mapped[int | None] = mapped_column(Integer)
    conflict: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[Status] = mapped_column(status_type())
    reason: Mapped[str | None] = mapped_column(String(200))
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    replaced_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))

    mark: Mapped[AttendanceMark] = relationship(back_populates="history")
