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

import pytest
from sqlalchemy import Table, select

from app.extensions import db

Rows = dict[str, list[dict]]
T = TypeVar("T")


def take() -> Rows:
    """Every row of every table, as this session sees them."""
    rows: Rows = {}
    for table in db.metadata.sorted_tables:
        found = [row._asdict() for row in db.session.execute(select(table))]
        if found:
            rows[table.name] = found
    return rows


def added(after: Rows, before: Rows) -> Rows:
    """The rows of `after` that `before` did not have (by primary key)."""
    tables = {table.name: table for table in db.metadata.sorted_tables}
    rows: Rows = {}
    for name, found in after.items():
        known = {_key(tables[name], row) for row in before.get(name, ())}
        new = [row for row in found if _key(tables[name], row) not in known]
        if new:
            rows[name] = new
    return rows


def _key(table: Table, row: dict) -> tuple:
    columns = table.primary_key.columns or table.columns
    return tuple(repr(row[column.name]) for column in columns)


def insert(rows: Rows) -> None:
    """Insert the rows, parents first, in the session's transaction (the caller commits)."""
    for table in db.metadata.sorted_tables:
        if rows.get(table.name):
            db.session.execute(table.insert(), rows[table.name])


def build_once(app, build: Callable[[], T]) -> tuple[T, Rows]:
    """For a module-scoped fixture: run `build` on the suite's frozen school day, in a
    database emptied before and after; give what it returned (ids, not rows: its session is
    closed) and the rows it committed."""
    from app.core import clock
    from tests.conftest import TODAY, empty_tables

    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "today", lambda: TODAY)
        empty_tables()
        try:
            result = build()
            db.session.commit()
            return result, take()
        finally:
            db.session.rollback()
            db.session.remove()
            empty_tables()
