"""The "To do" list of a social worker (their caseload's tasks) and of a teacher (the school's
tasks about their own pupils), a task's page, and marking a task. Parse, call a service,
render; one commit per request. Anyone else: 404, as if the page did not exist."""

import uuid

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role
from app.auth.permissions import role_required
from app.core import clock
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.loading import load
from app.core.models import utcnow
from app.extensions import db
from app.tasks import services
from app.tasks.forms import DAMAGED, MarkForm
from app.tasks.models import Task, TaskStatus
from app.tasks.services import MarkInput, Stale

bp = Blueprint("tasks", __name__, template_folder="templates")
assignees_only = role_required(Role.SOCIAL_WORKER, Role.TEACHER)


def _form(task: Task) -> MarkForm:
    return MarkForm(formdata=None, mark_id=str(uuid.uuid4()), version=task.version)


@bp.get("/tasks")
@assignees_only
def index():
    """Open and blocked tasks, overdue first; each child shown is audited as seen."""
    today = clock.today()
    tasks = services.todo(current_user, today)
    g.overdue_tasks = sum(task.overdue(today) for task in tasks)  # the header's count
    for child_id in dict.fromkeys(task.child_id for task in tasks):
        audit("view_tasks", "child", child_id)
    html = render_template(
        "tasks/index.html",
        tasks=tasks,
        today=today,
        overdue=g.overdue_tasks,
        forms={task.id: _form(task) for task in tasks},
    )
    db.session.commit()
    return html


@bp.get("/tasks/<uuid:task_id>")
@assignees_only
def task(task_id: uuid.UUID):
    found = load(Task, task_id, services.may_mark)
    return _task_page(found, _form(found))


def _task_page(task: Task, form: MarkForm, status: int = 200, stale: bool = False):
    audit("view_tasks", "child", task.child_id)
    html = render_template(
        "tasks/task.html",
        task=task,
        form=form,
        marks=services.marks_of(task),
        today=clock.today(),
        stale=stale,
        markable=task.status in (TaskStatus.OPEN, TaskStatus.BLOCKED),
    )
    db.session.commit()
    return html, status


@bp.post("/tasks/<uuid:task_id>/mark")
@assignees_only
def mark(task_id: uuid.UUID):
    """Done with a note, or blocked with the reason. A task someone else marked (or that was
    withdrawn) since the page was shown: 409 with what is stored, nothing written, and the
    person's words kept in the form."""
    found = load(Task, task_id, services.may_mark)
    form = MarkForm()
    if not form.validate():
        raise InvalidInput(_first_error(form))
    data = MarkInput(
        uuid.UUID(form.mark_id.data),
        TaskStatus(form.status.data),
        (form.note.data or "").replace("\r\n", "\n"),
        form.version.data,
        utcnow(),
    )
    try:
        if services.mark(current_user, found, data):
            audit("task_mark", "child", found.child_id)
    except Stale:
        db.session.rollback()
        found = db.session.get(Task, task_id)
        form.mark_id.data, form.version.data = str(uuid.uuid4()), found.version
        return _task_page(found, form, 409, stale=True)
    db.session.commit()
    flash(_("Saved."))
    return redirect(url_for("tasks.index"), 303)


def _first_error(form: MarkForm) -> str:
    for name in ("status", "mark_id", "version"):
        if form[name].errors:
            return form[name].errors[0]
    return str(DAMAGED)
