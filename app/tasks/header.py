"""The number of overdue tasks, in the site header of a social worker's and a teacher's pages."""

from flask import g
from flask_login import current_user

from app.auth.models import Role
from app.core import clock
from app.tasks.services import overdue_count

ROLES = (Role.SOCIAL_WORKER, Role.TEACHER)


def template_context() -> dict:
    return {"overdue_tasks": overdue_tasks}


def overdue_tasks() -> int:
    """Counted when a page's header asks for it, once per request, in one query."""
    if not current_user.is_authenticated or current_user.role not in ROLES:
        return 0
    if "overdue_tasks" not in g:
        g.overdue_tasks = overdue_count(current_user, clock.today())
    return g.overdue_tasks
