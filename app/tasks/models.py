"""Tasks: what someone must do for a child by a date, given by a committee decision or agreed at
a home visit. The task holds the one status (open, done, blocked); its sources point to it.

Who sees a task is read, not stored: a social worker's tasks are those of the children of their
caseload given to the social worker or to another service (no Qadam user: the social worker
follows it); a school's are the class teachers' of the child's class today. A caseload or a
class that changes hands takes its tasks with it.
"""

import uuid
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.children.models import Child
from app.core.models import Labelled, UTCDateTime, UUIDPrimaryKey, labels, string_enum, utcnow
from app.extensions import db

NOTE_MAX = 1000


class TaskStatus(Labelled):
    OPEN = "open"
    DONE = "done"
    BLOCKED = "blocked"
    # No longer asked for: the decision was corrected, or the visit report no longer agrees it.
    WITHDRAWN = "withdrawn"


TASK_STATUS_LABELS = labels(
    {
        TaskStatus.OPEN: _l("To do"),
        TaskStatus.DONE: _l("Done"),
        TaskStatus.BLOCKED: _l("Blocked"),
        # TRANSLATORS: a task no longer asked for (its decision or visit report was corrected).
        TaskStatus.WITHDRAWN: _l("Withdrawn"),
    }
)
# What the assignee may report; a task once done stays done.
MARKABLE = (TaskStatus.OPEN, TaskStatus.BLOCKED)


class TaskAssignee(Labelled):
    SOCIAL_WORKER = "social_worker"
    SCHOOL = "school"
    OTHER_SERVICE = "other_service"


class TaskSource(Labelled):
    DECISION = "decision"
    VISIT = "visit"


class Task(UUIDPrimaryKey, db.Model):
    __tablename__ = "task"
    __table_args__ = (
        # A caseload's or a class's tasks by child, and those open and past due (the alerts,
        # the header's count and the due list's "overdue action").
        Index("ix_task_child_status_due", "child_id", "status", "due_on"),
        Index("ix_task_source", "source", "source_id"),
    )

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"))
    source: Mapped[TaskSource] = mapped_column(string_enum(TaskSource, "task_source", 10))
    # The decision or visit report that gave the task (its latest, after a correction).
    source_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    what: Mapped[str] = mapped_column(Text)
    assignee: Mapped[TaskAssignee] = mapped_column(string_enum(TaskAssignee, "task_assignee", 20))
    # The other service's name, or who was agreed at the visit (free text).
    assignee_name: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None] = mapped_column(Date)  # a visit may agree no date
    status: Mapped[TaskStatus] = mapped_column(
        string_enum(TaskStatus, "task_status", 10), default=TaskStatus.OPEN
    )
    note: Mapped[str] = mapped_column(Text, default="")  # what was done, or why it is blocked
    marked_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer)

    child: Mapped[Child] = relationship()
    marked_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def overdue(self, today: date) -> bool:
        return self.status is TaskStatus.OPEN and self.due_on is not None and self.due_on < today


class TaskMark(db.Model):
    """Every mark sent for a task, by its id made on the page (or phone) that sent it: the same
    mark sent twice is one. One that came after someone else's mark it had not seen is kept,
    not applied (`applied` false), and shown on the task's page for a person to look at."""

    __tablename__ = "task_mark"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    task_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("task.id"), index=True)
    status: Mapped[TaskStatus] = mapped_column(string_enum(TaskStatus, "task_mark_status", 10))
    note: Mapped[str] = mapped_column(Text, default="")
    marked_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime())  # on the device
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    applied: Mapped[bool] = mapped_column(Boolean)

    marked_by: Mapped[User] = relationship()
