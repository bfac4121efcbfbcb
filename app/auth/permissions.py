"""Role checks for views: a page a role may not use answers 404, as if it did not exist.

Every endpoint that is not public declares the roles that may use it, with `role_required`
(or `any_role` for pages every signed-in person has, such as logging out). The check in
`app.auth.public` refuses a signed-in person any endpoint that declares no roles, so a route
added without a decision is closed to everyone.
"""

from collections.abc import Callable
from functools import wraps

from flask import request
from flask_login import current_user, login_required

from app.auth.models import HOME_ENDPOINTS, Role
from app.core.audit import refuse


def role_required(*roles: Role) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                refuse("page", request.endpoint)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator


def allowed_roles(view: Callable) -> frozenset[Role]:
    """The roles a view declared; none if it declared nothing."""
    return getattr(view, "allowed_roles", frozenset())


admin_required = role_required(Role.ADMINISTRATOR)
teacher_required = role_required(Role.TEACHER)
any_role = role_required(*Role)


def home_endpoint(role: Role) -> str:
    return HOME_ENDPOINTS[role]
