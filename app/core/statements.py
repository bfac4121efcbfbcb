"""What a request cost the database, for the benchmark (scripts/benchmark): with
QADAM_COUNT_STATEMENTS on, every response says how many SQL statements its request ran
(X-Qadam-Statements) and how long the app took (Server-Timing). Off by default: then nothing
is counted and no header is added."""

import time

from flask import Flask, Response, g, has_request_context
from sqlalchemy import event

from app.extensions import db

HEADER = "X-Qadam-Statements"


def init_statement_count(app: Flask) -> None:
    if not app.config.get("QADAM_COUNT_STATEMENTS"):
        return
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", _count)
    app.before_request(_start)
    app.after_request(_report)


def _count(*_args) -> None:
    if has_request_context() and "qadam_statements" in g:
        g.qadam_statements += 1


def _start() -> None:
    g.qadam_statements = 0
    g.qadam_started = time.perf_counter()


def _report(response: Response) -> Response:
    if "qadam_statements" in g:
        response.headers[HEADER] = str(g.qadam_statements)
        took = (time.perf_counter() - g.qadam_started) * 1000
        response.headers["Server-Timing"] = f"app;dur={took:.1f}"
    return response
