"""A task marked done or blocked on a phone: the "task_mark" kind of sync op.

payload: {"child_id", "mark_id", "status": "done" | "blocked", "note"}; the op's record_id is
the task's id and its base_version the task's version the phone's page showed. The mark's id
is made by the page, so a mark sent from the form and then again from the outbox is one (and
the op's id makes the op itself idempotent). A task changed meanwhile (marked by someone else,
or withdrawn by a corrected decision) is never overwritten: the mark is kept, not applied, and
the answer is a conflict linking to the task's page, where the person sees what is stored and
what they sent, and marks it again if still needed.
"""

import uuid
from typing import Annotated, Literal

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.core import rules
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.loading import load_for_op
from app.sync.payload import Payload, rule
from app.sync.registry import Op, Outcome, SyncKind
from app.tasks import services
from app.tasks.models import NOTE_MAX, Task, TaskStatus
from app.tasks.services import MarkInput, Stale

KIND = "task_mark"


class TaskMarkPayload(Payload):
    """A task marked done (with what was done) or blocked (with why)."""

    child_id: uuid.UUID
    mark_id: uuid.UUID
    status: Literal["done", "blocked"]
    note: Annotated[str, rule(rules.at_most(NOTE_MAX), _l("Note"))] = ""


def apply_task_op(user: User, op: Op) -> Outcome:
    payload: TaskMarkPayload = op.payload
    refusal = _("This task is not yours to mark.")
    task = load_for_op(user, Task, op.record_id, services.may_mark, refusal)
    if task.child_id != payload.child_id:
        raise InvalidInput(_("This entry is incomplete or damaged."))
    status = TaskStatus(payload.status)
    data = MarkInput(payload.mark_id, status, payload.note, op.base_version, op.recorded_at)
    try:
        services.mark(user, task, data, keep_refused=True)
    except Stale:
        audit("task_mark_conflict_sync", "child", task.child_id)
        return Outcome("conflict", _record(task), stale_reason(task), _link(task))
    audit("task_mark_sync", "child", task.child_id)
    return Outcome("applied", _record(task))


def stale_reason(task: Task) -> str:
    if task.status is TaskStatus.WITHDRAWN:
        return _(
            "This task is no longer asked for: the decision or visit report that gave it was "
            "corrected."
        )
    return _(
        "Someone else marked this task meanwhile; your mark was kept but not recorded over "
        "theirs. Look at the task again."
    )


def _record(task: Task) -> dict:
    return {"id": str(task.id), "version": task.version, "status": task.status.value}


def _link(task: Task) -> str:
    return url_for("tasks.task", task_id=task.id)


SYNC_KINDS = (SyncKind(KIND, apply_task_op, TaskMarkPayload),)
