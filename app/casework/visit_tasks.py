"""The actions agreed at a visit, followed through as tasks (app/tasks)."""

from app.casework.models import VisitReport
from app.extensions import db
from app.tasks import services as tasks
from app.tasks.models import TaskAssignee, TaskSource


def follow_actions(record: VisitReport) -> None:
    """The actions agreed at the visit become tasks on the list of the child's social worker,
    whoever was named to do them: "who" is free text (a mother, a school, a neighbour), so the
    social worker who agreed it follows it, and the name is shown with the task. After an edit
    an unchanged action keeps its task (and what was done about it); one no longer agreed is
    withdrawn if still open."""
    previous = tasks.of_source(TaskSource.VISIT, record.id)
    specs = [
        tasks.TaskSpec(record.child_id, a.what, TaskAssignee.SOCIAL_WORKER, a.who, a.by_when)
        for a in record.actions
    ]
    made = tasks.follow(TaskSource.VISIT, record.id, specs, previous)
    for action, task in zip(record.actions, made, strict=True):
        if action.task_id != task.id:
            action.task_id = task.id
    db.session.flush()
