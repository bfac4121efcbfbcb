"""Which tables a test wrote, and emptying them: every test starts with an empty database.

One module, imported under this one name (tests/conftest.py is also imported as `conftest`
by pytest, a second copy with state of its own): the tables noted here are those written by
any connection, the live server's too."""

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import pytest
from sqlalchemy import event, literal, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from tests import snapshot

T = TypeVar("T")

# The tables a statement may have put a row in since they were last emptied; at first every
# table (the migrations' own rows go too).
_written: set[str] = set()
_INSERT = re.compile(r'\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+"?(\w+)"?', re.IGNORECASE)


def track_written_tables(engine) -> None:
    """Note every table an INSERT goes to, on any connection (the live server's too)."""
    global _written
    _written = {table.name for table in db.metadata.sorted_tables}

    @event.listens_for(engine, "before_cursor_execute")
    def note(_conn, _cursor, statement, *_args) -> None:
        found = _INSERT.match(statement)
        if found:
            _written.add(found.group(1))


def empty_tables(attempts: int = 5) -> None:
    """Delete every row, from the tables that may have one. A browser test's page may still
    be finishing a request on the live server (an offline copy, a sync) that writes a row
    meanwhile: then try again."""
    global _written
    for attempt in range(attempts):
        written, _written = _written, set()
        tables = [table for table in reversed(db.metadata.sorted_tables) if table.name in written]
        try:
            with db.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    if tables:
                        conn.exec_driver_sql(_deleting(conn, tables))
                    return
                for table in tables:
                    if table.name in APPEND_ONLY:
                        _delete_append_only(conn, table)
                    else:
                        conn.execute(table.delete())
            return
        except IntegrityError:
            _written |= written
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)


@contextmanager
def building(app) -> Iterator[None]:
    """Where a module's world is built: in an app context, on the suite's frozen school day,
    in a database emptied first."""
    from app.core import clock
    from tests.conftest import TODAY

    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "today", lambda: TODAY)
        empty_tables()
        yield


def kept_world(app, build: Callable[[], T]) -> Iterator[T]:
    """For a module-scoped fixture: build() once, its rows kept for the module's tests,
    which only read them, and deleted when the module ends; for a world that costs more to
    build than the tests that read it. What a test adds beside them goes after each test.
    A test that changed the world would change it for the tests after it: only readers.
    Built on the suite's frozen school day, as a test's own world is."""
    global _written
    with building(app):
        built = build()
        kept, _written = _written, set()  # the world's tables: not the next test's to empty
    yield built
    with app.app_context():
        _written |= kept
        empty_tables()


APPEND_ONLY = {"audit_event"}


def _deleting(conn, tables) -> str:
    """On PostgreSQL the same deletes sent at once, one round trip, with the triggers off for
    this transaction only (see append_only_lifted): every row goes, so neither the foreign
    keys' checks (a trigger per deleted row, most of a test's teardown) nor the append-only
    tables' refusal have anything to guard."""
    deletes = "; ".join(str(table.delete().compile(conn)) for table in tables)
    return f"{snapshot.REPLICA}; {deletes}; {snapshot.ORIGIN}"


def _delete_append_only(conn, table) -> None:
    if conn.execute(select(literal(1)).select_from(table).limit(1)).first() is not None:
        with append_only_lifted(conn, table):
            conn.execute(table.delete())


@contextmanager
def append_only_lifted(conn, table) -> Iterator[None]:
    """The database refuses to change or delete audit entries (triggers); the tests alone
    lift that, inside `conn`'s transaction, so a failure there leaves the triggers in place."""
    if conn.dialect.name == "postgresql":  # the test user is a superuser: triggers off
        conn.exec_driver_sql(snapshot.REPLICA)
        yield
        conn.exec_driver_sql(snapshot.ORIGIN)
        return
    triggers = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
        (table.name,),
    ).all()
    if not conn.connection.driver_connection.in_transaction:
        conn.exec_driver_sql("BEGIN")  # pysqlite would run the DROP TRIGGER outside of one
    for name, _sql in triggers:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    for _name, sql in triggers:
        conn.exec_driver_sql(sql)
