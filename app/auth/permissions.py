"""Role checks for views: a page a role may not use answers 404, as if it did not exist."""

from collections.abc import Callable
from functools import wraps

from flask import abort, request
from flask_login import current_user, login_required

from app.auth.models import Role
from app.core.audit import refused


def role_required(*roles: Role) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                refused("page", request.endpoint)
                abort(404)
            return view(*args, **kwargs)

        return wrapped

    return decorator


admin_required = role_required(Role.ADMINISTRATOR)
