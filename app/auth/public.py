"""Deny by default: every endpoint needs a login unless it is on this one explicit list, and a
signed-in person reaches only the endpoints that declare their role (see permissions.py)."""

from flask import Flask, current_app, request
from flask_login import current_user

from app.auth.permissions import allowed_roles
from app.core.audit import refuse
from app.extensions import login_manager

PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.login",
        "auth.login_code",  # the second step: only for the user whose password was just right
        "auth.redeem_code",  # a person with a code from their administrator, not yet logged in
        "core.index",  # only redirects
        "core.health",
        "i18n.switch",  # the language of the login page
        "pwa.manifest",
        "pwa.service_worker",
        "pwa.offline",  # shows nothing personal
        "pwa.shared_config",  # the scripts' settings and strings, the same for everyone
        "static",
        "sync.ping",
        "sync.openapi",  # describes the API; holds no data
    }
)


def require_login_by_default(app: Flask) -> None:
    @app.before_request
    def deny_unless_public():
        if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
            return None  # an unknown address answers 404 as usual
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return None


def require_declared_roles(app: Flask) -> None:
    """Registered after the login (and two-factor) checks: a signed-in person reaches only the
    endpoints that declared their role."""

    @app.before_request
    def deny_unless_declared():
        if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
            return None
        view = current_app.view_functions[request.endpoint]
        if current_user.role not in allowed_roles(view):
            refuse("page", request.endpoint)
        return None
