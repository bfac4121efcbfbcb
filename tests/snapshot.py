"""Rows built once and copied back for each test that needs them.

Building a world through the factories costs dozens of statements and commits; copying its
rows back costs one insert per table and one commit. A world many tests share (the
authorisation table's, the demo district) is built once per run or per module, its rows
taken, and inserted again wherever a test asks for it: each test still gets exactly those
rows, committed for real, and is emptied afterwards as any other test (tests/conftest.py).

Ids come back as they were. A sequence never goes back, so the database's next ids stay
above the copied ones; an audit trail is copied whole, so its hash chain stays intact.
"""

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, Table, TableClause, column, literal, select
from sqlalchemy import table as table_clause

from app.extensions import db

# Per table, its rows as the database driver gives them: copied back without conversions.
Rows = dict[str, list[dict]]
T = TypeVar("T")


def take(conn: Connection | None = None) -> Rows:
    """Every row of every table, as this connection (the session's by default) sees them."""
    conn = conn or db.session.connection()
    rows: Rows = {}
    for table in db.metadata.sorted_tables:
        found = [row._asdict() for row in conn.execute(select(_untyped(table)))]
        if found:
            rows[table.name] = found
    return rows


def added(after: Rows, before: Rows) -> Rows:
    """The rows of `after` that `before` did not have (by primary key)."""
    rows: Rows = {}
    for name, found in after.items():
        table = db.metadata.tables[name]
        columns = [column.name for column in table.primary_key.columns or table.columns]
        known = {_key(row, columns) for row in before.get(name, ())}
        new = [row for row in found if _key(row, columns) not in known]
        if new:
            rows[name] = new
    return rows


def _key(row: dict, columns: list[str]) -> tuple:
    return tuple(repr(row[column]) for column in columns)


# PostgreSQL's triggers (foreign keys' checks, the append-only tables' refusal) off, then on,
# for the rest of the transaction only.
REPLICA = "SET LOCAL session_replication_role = replica"
ORIGIN = "SET LOCAL session_replication_role = origin"


def insert(rows: Rows, conn: Connection | None = None) -> None:
    """Insert the rows, parents first, on this connection (the session's by default); the
    caller commits."""
    conn = conn or db.session.connection()
    # Rows taken from a consistent database need no foreign key checked again: on PostgreSQL
    # that is a trigger per row, most of the copy's time. Off for these inserts only.
    postgresql = conn.dialect.name == "postgresql"
    if postgresql:
        conn.exec_driver_sql(REPLICA)
    for table in db.metadata.sorted_tables:
        if rows.get(table.name):
            conn.execute(_untyped(table).insert(), rows[table.name])
    if postgresql:
        conn.exec_driver_sql(ORIGIN)


def _untyped(table: Table) -> TableClause:
    """The table without its column types: values go to and from the driver as they are."""
    return table_clause(table.name, *(column(c.name) for c in table.columns))


def build_once(app, build: Callable[[], T]) -> tuple[T, Rows]:
    """For a module-scoped fixture: run `build` on the suite's frozen school day, in a
    database emptied before and after; give what it returned (ids, not rows: its session is
    closed) and the rows it committed."""
    from tests.tables import building, empty_tables

    with building(app):
        try:
            result = build()
            db.session.commit()
            return result, take()
        finally:
            db.session.rollback()
            db.session.remove()
            empty_tables()


class Replayed:
    """A costly command (loading the demo district) run for real the first time; after that,
    where it would find the same empty tables, its rows are inserted as it left them and its
    result given again. The rows go in on a connection of their own and are committed, as
    the command's own session would: the test's session is left as it was."""

    def __init__(self, run: Callable[..., T]) -> None:
        self.run = run
        self.record: tuple[T, Rows] | None = None

    def __call__(self, *args) -> T:
        if self.record is None:
            before = take()
            result = self.run(*args)
            rows = added(take(), before)
            if not any(before.get(name) for name in rows):
                self.record = (result, rows)
            return result
        result, rows = self.record
        with db.engine.begin() as conn:
            if not any(_has_rows(conn, name) for name in rows):
                insert(rows, conn)
                return result
        return self.run(*args)


def _has_rows(conn, name: str) -> bool:
    table = db.metadata.tables[name]
    return conn.execute(select(literal(1)).select_from(table).limit(1)).first() is not None
