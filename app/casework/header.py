"""The number of overdue visits, in the site header of a social worker's pages."""

from flask import g
from flask_login import current_user

from app.auth.models import Role
from app.casework.due import overdue_count
from app.core import clock


def template_context() -> dict:
    return {"overdue_visits": overdue_visits}


def overdue_visits() -> int:
    """Counted when a page's header asks for it, once per request, in one query."""
    if not current_user.is_authenticated or current_user.role is not Role.SOCIAL_WORKER:
        return 0
    if "overdue_visits" not in g:
        g.overdue_visits = overdue_count(current_user, clock.today())
    return g.overdue_visits
