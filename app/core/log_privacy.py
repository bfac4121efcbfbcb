"""No stored value reaches the logs through a database error.

A database error is logged with its message (a sync op that fails, any 500). SQLAlchemy adds
the statement's parameters to it unless told not to (`hide_parameters` in config.py), and
PostgreSQL adds a DETAIL line quoting the failing key or the whole failing row — a name, an
email, a reason. That line is dropped here; the constraint's name in the first line remains.
"""

from sqlalchemy import event
from sqlalchemy.engine import Engine, ExceptionContext


def drop_detail(context: ExceptionContext) -> None:
    error = context.original_exception
    diagnostic = getattr(error, "diag", None)  # psycopg's errors carry their parts here
    primary = getattr(diagnostic, "message_primary", None)
    if not primary:
        return
    error.args = (primary,)
    wrapped = context.sqlalchemy_exception  # its message was made from the DETAIL already
    if wrapped is not None:
        kind = type(error)
        wrapped.args = (f"({kind.__module__}.{kind.__name__}) {primary}",)


def init_log_privacy() -> None:
    if not event.contains(Engine, "handle_error", drop_detail):
        event.listen(Engine, "handle_error", drop_detail)
