"""One endpoint, a full page or the partial inside it."""

from flask import make_response, render_template
from flask.typing import ResponseReturnValue

from app.extensions import htmx


def page_or_partial(
    page: str, partial: str, status: int = 200, **context: object
) -> ResponseReturnValue:
    """Render `partial` for an htmx request, else the full `page` that includes it."""
    response = make_response(render_template(partial if htmx else page, **context), status)
    response.vary.add("HX-Request")
    return response
