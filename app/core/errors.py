"""Error pages: translated, plain, and the right status code."""

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import htmx

MESSAGES = {
    400: _l("The request could not be understood. Please go back and try again."),
    403: _l("You are not allowed to do this."),
    404: _l("This page does not exist, or you do not have access to it."),
    405: _l("This action is not allowed here."),
    413: _l("What you sent is too large."),
    422: _l("Some of what you entered could not be accepted."),
    500: _l("Something went wrong on our side. Please try again."),
}


class InvalidInput(Exception):
    """Input a person can correct; carries a translated message. Nothing was written."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(str(message))
        self.message = message
        self.status = status


def render_error(code: int, message: str | None = None):
    message = message or MESSAGES.get(code, MESSAGES[500])
    if htmx:
        # Show the message in the page's message area; the form stays as the user left it.
        headers = {"HX-Retarget": "#flash", "HX-Reswap": "innerHTML", "Vary": "HX-Request"}
        return render_template("core/_error.html", message=message), code, headers
    return render_template("core/error.html", code=code, message=message), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400, _l("Your form expired or was tampered with. Please reload the page and try again.")
        )

    @app.errorhandler(InvalidInput)
    def invalid_input(error: InvalidInput):
        return render_error(error.status, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)
