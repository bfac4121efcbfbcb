"""Deny by default: every endpoint needs a login unless it is on this one explicit list."""

from flask import Flask, request
from flask_login import current_user

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
