"""What follow-through adds to the shared parts of Qadam (see app/core/domains.py)."""

from datetime import date

from flask import url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import Role, User
from app.children.alerts import Alert
from app.core.domains import Domain
from app.tasks import services
from app.tasks.sync_ops import SYNC_KINDS


def offline_pages(user: User) -> list[str]:
    """The To-do list, to mark a task done where there is no signal."""
    if user.role not in (Role.SOCIAL_WORKER, Role.TEACHER):
        return []
    return [url_for("tasks.index")]


def overdue_tasks(user: User, today: date) -> list[Alert]:
    """Children of the caseload with an overdue task, the longest overdue first. One query."""
    if user.role is not Role.SOCIAL_WORKER:
        return []
    return [
        Alert(
            "overdue_task",
            child_id,
            f"{family} {given}",
            since,
            target=("tasks.index", {}),
            words=ngettext(
                "%(num)d task overdue since %(date)s.",
                "%(num)d tasks overdue, the first since %(date)s.",
                count,
                date=format_date(since, "long"),
            ),
        )
        for child_id, family, given, count, since in services.overdue_by_child(user, today)
    ]


def client_strings() -> dict:
    return {
        # TRANSLATORS: names an entry waiting on the phone; it never names the child.
        "kinds": {"task_mark": _("Task marked")},
        "task_will_send": _("The task will be marked when there is a connection."),
        "task_incomplete": _("Choose done or blocked; say why a task is blocked."),
    }


# TRANSLATORS: what a person did with a child's record, shown in a table of who did what.
AUDIT_ACTIONS = {
    "view_tasks": _l("viewed the child's tasks"),
    "task_mark": _l("marked a task done or blocked"),
    "task_mark_sync": _l("marked a task done or blocked from a phone that was offline"),
    "task_mark_conflict_sync": _l(
        "sent a task's mark from a phone after someone else had marked it"
    ),
}

DOMAIN = Domain(
    name="tasks",
    offline_pages=offline_pages,
    alert_rules=((3, overdue_tasks),),
    audit_actions=AUDIT_ACTIONS,
    client_strings=client_strings,
    sync_kinds=SYNC_KINDS,
)
