"""Error pages: translated, plain, and the right status code."""

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.core.audit import refused
from app.extensions import db, htmx

MESSAGES = {
    400: _l("The request could not be understood. Please go back and try again."),
    403: _l("You are not allowed to do this."),
    404: _l("This page does not exist, or you do not have access to it."),
    405: _l("This action is not allowed here."),
    413: _l("What you sent is too large."),
    422: _l("Some of what you entered could not be accepted."),
    500: _l("Something went wrong on our side. Please try again."),
}
# On an answer that means "log in again" (a lapsed session or a stale CSRF token): a page's
# script keeps the form on the phone instead of showing it (see static/js/offline_form.js).
LOGIN_NEEDED_HEADER = "X-Qadam-Login-Needed"


class InvalidInput(Exception):
    """Input a person can correct; carries a translated message. Nothing was written.

    `code` names the reason for a program (the sync API answers it), which must never read
    the message's words: they are in the user's language.
    """

    def __init__(self, message: str, status: int = 422, code: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.status = status
        self.code = code


def wants_json() -> bool:
    """The outbox API speaks JSON, also when it refuses."""
    return request.path.startswith("/api/")


def api_error(status: int, code: str, message: str):
    response = jsonify(error=code, message=str(message))
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def render_error(code: int, message: str | None = None, api_code: str = "error"):
    db.session.rollback()  # an error ends the unit of work: nothing is half-written
    message = message or MESSAGES.get(code, MESSAGES[500])
    if wants_json():
        return api_error(code, api_code, message)
    if htmx:
        # Show the message in the page's message area; the form stays as the user left it.
        headers = {"HX-Retarget": "#flash", "HX-Reswap": "innerHTML", "Vary": "HX-Request"}
        return render_template("core/_error.html", message=message), code, headers
    return render_template("core/error.html", code=code, message=message), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        refused("page", request.endpoint, action="refused_csrf")  # logged-in users only
        response = make_response(
            render_error(
                400,
                _l("Your form expired or was tampered with. Please reload the page and try again."),
                api_code="csrf",
            )
        )
        response.headers[LOGIN_NEEDED_HEADER] = "csrf"
        return response

    @app.errorhandler(InvalidInput)
    def invalid_input(error: InvalidInput):
        return render_error(error.status, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        response = make_response(
            render_error(error.code or 500, api_code=error.name.lower().replace(" ", "_"))
        )
        # What the error itself says besides its page: a 405's Allow, a 429's Retry-After.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response
