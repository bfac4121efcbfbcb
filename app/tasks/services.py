"""Tasks: made and carried over by the domains that give them, listed for their assignee, marked.
Writes flush only; the caller commits."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import contains_eager, selectinload

from app.auth.models import Role, User
from app.children.models import Child, caseload, class_teacher
from app.core.errors import InvalidInput
from app.core.models import utcnow
from app.extensions import db
from app.tasks.models import (
    MARKABLE,
    NOTE_MAX,
    Task,
    TaskAssignee,
    TaskMark,
    TaskSource,
    TaskStatus,
)

# Given to the social worker, or to a service with no Qadam user that the social worker follows.
SOCIAL_WORKERS = (TaskAssignee.SOCIAL_WORKER, TaskAssignee.OTHER_SERVICE)
LISTED = (TaskStatus.OPEN, TaskStatus.BLOCKED)


@dataclass(frozen=True)
class TaskSpec:
    """A task as its source gives it."""

    child_id: uuid.UUID
    what: str
    assignee: TaskAssignee
    assignee_name: str
    due_on: date | None

    def same_work(self, task: Task) -> bool:
        return (self.what, self.assignee, self.assignee_name) == (
            task.what,
            task.assignee,
            task.assignee_name,
        )


def follow(source: TaskSource, source_id: uuid.UUID, specs: list[TaskSpec], previous) -> list[Task]:
    """The tasks for `specs`, in order. A task of `previous` (the same source's tasks before a
    correction or an edit) asking the same work is carried over with what was done about it;
    the others still open or blocked are withdrawn, so a correction leaves no duplicate."""
    unclaimed = list(previous)
    tasks = []
    for spec in specs:
        task = next((t for t in unclaimed if spec.same_work(t)), None)
        if task is None:
            task = Task(
                child_id=spec.child_id,
                what=spec.what,
                assignee=spec.assignee,
                assignee_name=spec.assignee_name,
            )
            db.session.add(task)
        else:
            unclaimed.remove(task)
        if task.source_id != source_id or task.source is not source:
            task.source, task.source_id = source, source_id
        if task.due_on != spec.due_on:
            task.due_on = spec.due_on
        tasks.append(task)
    for task in unclaimed:
        if task.status in MARKABLE:
            task.status = TaskStatus.WITHDRAWN
    db.session.flush()
    return tasks


def of_source(source: TaskSource, source_id: uuid.UUID) -> list[Task]:
    statement = select(Task).where(Task.source == source, Task.source_id == source_id)
    return list(db.session.scalars(statement))


# -- who sees which ------------------------------------------------------------------------


def _assigned_to(user: User) -> ColumnElement[bool] | None:
    """The tasks `user` carries out, as a condition on Task joined to Child (None: none)."""
    if user.role is Role.SOCIAL_WORKER:
        followed = select(caseload.c.child_id).where(caseload.c.user_id == user.id)
        return and_(Task.child_id.in_(followed), Task.assignee.in_(SOCIAL_WORKERS))
    if user.role is Role.TEACHER:
        taught = select(class_teacher.c.class_id).where(class_teacher.c.user_id == user.id)
        return and_(Child.class_id.in_(taught), Task.assignee == TaskAssignee.SCHOOL)
    return None


def may_mark(user: User, task: Task) -> bool:
    """The task is `user`'s to see and mark (a may_see of app/core/loading.py)."""
    condition = _assigned_to(user)
    if condition is None:
        return False
    statement = select(Task.id).join(Task.child).where(Task.id == task.id, condition)
    return db.session.scalar(statement) is not None


def todo(user: User, today: date) -> list[Task]:
    """`user`'s open and blocked tasks, with their children: overdue first, then by due date
    (none last). One query."""
    condition = _assigned_to(user)
    if condition is None:
        return []
    overdue = and_(Task.status == TaskStatus.OPEN, Task.due_on < today)
    statement = (
        select(Task)
        .join(Task.child)
        .where(condition, Task.status.in_(LISTED))
        .order_by(case((overdue, 0), else_=1), Task.due_on.is_(None), Task.due_on, Task.created_at)
        .options(contains_eager(Task.child))
    )
    return list(db.session.scalars(statement))


def _overdue(user: User, today: date):
    condition = _assigned_to(user)
    if condition is None:
        return None
    return (
        select(Task.child_id)
        .join(Task.child)
        .where(condition, Task.status == TaskStatus.OPEN, Task.due_on < today)
    )


def overdue_count(user: User, today: date) -> int:
    """The header's count: one query."""
    overdue = _overdue(user, today)
    if overdue is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(overdue.subquery()))


def overdue_by_child(user: User, today: date) -> list[tuple[uuid.UUID, str, str, int, date]]:
    """(child id, family name, given name, tasks overdue, the oldest's date) for each child of
    `user` with an overdue task, the longest overdue first. One query."""
    overdue = _overdue(user, today)
    if overdue is None:
        return []
    statement = (
        overdue.with_only_columns(
            Task.child_id, Child.family_name, Child.given_name, func.count(), func.min(Task.due_on)
        )
        .group_by(Task.child_id, Child.family_name, Child.given_name)
        .order_by(func.min(Task.due_on))
    )
    return [tuple(row) for row in db.session.execute(statement)]


def marks_of(task: Task) -> list[TaskMark]:
    statement = (
        select(TaskMark)
        .where(TaskMark.task_id == task.id)
        .order_by(TaskMark.received_at.desc())
        .options(selectinload(TaskMark.marked_by))
    )
    return list(db.session.scalars(statement))


def by_ids(task_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Task]:
    ids = [task_id for task_id in task_ids if task_id is not None]
    if not ids:
        return {}
    statement = select(Task).where(Task.id.in_(ids)).options(selectinload(Task.marked_by))
    return {task.id: task for task in db.session.scalars(statement)}


# -- marking --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarkInput:
    mark_id: uuid.UUID
    status: TaskStatus
    note: str
    base_version: int
    marked_at: datetime


class Stale(Exception):
    """The task changed since the person saw it (someone else marked it, or it was withdrawn):
    their mark was not applied."""

    def __init__(self, task: Task):
        super().__init__(str(task.id))
        self.task = task


def check(data: MarkInput) -> None:
    """Refuse (InvalidInput, nothing written) a mark that cannot be accepted."""
    if data.status not in (TaskStatus.DONE, TaskStatus.BLOCKED):
        raise InvalidInput(_("Choose whether the task is done or blocked."))
    if len(data.note) > NOTE_MAX:
        raise InvalidInput(_("The note is too long (at most 1,000 characters)."))
    if data.status is TaskStatus.BLOCKED and not data.note.strip():
        raise InvalidInput(_("Say why the task is blocked."))


def mark(user: User, task: Task, data: MarkInput, keep_refused: bool = False) -> bool:
    """Apply `data` to the task over the version the person saw. True: applied now; False: this
    very mark was received before. A task changed meanwhile raises Stale (with `keep_refused`,
    the mark is kept first, not applied, for the task's page: an op sent from a phone)."""
    check(data)
    received = db.session.get(TaskMark, data.mark_id)
    if received is not None:
        if received.task_id != task.id:
            raise InvalidInput(_("This form was already used. Please open it again."), status=409)
        if not received.applied:
            raise Stale(task)  # kept before, not applied: the same answer again
        return False
    applied = task.version == data.base_version and task.status in MARKABLE
    if not applied and not keep_refused:
        raise Stale(task)
    db.session.add(
        TaskMark(
            id=data.mark_id,
            task_id=task.id,
            status=data.status,
            note=data.note.strip(),
            marked_by_id=user.id,
            marked_at=data.marked_at,
            received_at=utcnow(),
            applied=applied,
        )
    )
    if not applied:
        db.session.flush()
        raise Stale(task)
    task.status, task.note = data.status, data.note.strip()
    task.marked_by_id, task.marked_at = user.id, data.marked_at
    db.session.flush()
    return True
