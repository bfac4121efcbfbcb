"""The audit trail is one hash chain, append-only, checked by `flask audit verify`."""

import importlib.util
import os
import threading
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from app.core import audit_chain
from app.core.audit import PENDING, AuditEvent, audit
from app.core.audit_chain import GENESIS, entry_hash, verify
from app.extensions import db
from tests.conftest import ROOT, count_queries
from tests.factories import UserFactory
from tests.tables import append_only_lifted

TABLE = AuditEvent.__table__


def write_events(count: int, action: str = "view") -> list[int]:
    for number in range(count):
        audit(action, "child", f"child-{number}")
    db.session.commit()
    return list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def tamper(statement) -> None:
    """Change the trail behind the app's back, as someone with database access could."""
    with db.engine.begin() as conn, append_only_lifted(conn, TABLE):
        conn.execute(statement)


def verify_command(runner):
    return runner.invoke(args=["audit", "verify"])


def test_an_intact_trail_verifies_and_reports_its_length(runner):
    write_events(3)
    write_events(2, action="attendance_write")
    result = verify_command(runner)
    assert result.exit_code == 0, result.output
    assert "intact: 5 entries" in result.output
    head = db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    assert head in result.output


def test_an_empty_trail_verifies(runner):
    result = verify_command(runner)
    assert result.exit_code == 0
    assert "intact: 0 entries" in result.output


def test_each_entry_is_linked_to_the_one_before_by_its_hash():
    first, second = write_events(2)
    entries = [db.session.get(AuditEvent, first), db.session.get(AuditEvent, second)]
    assert entries[0].prev_hash == GENESIS
    assert entries[1].prev_hash == entries[0].hash
    assert all(entry.hash == entry_hash(entry) for entry in entries)


def test_the_hash_covers_every_field_of_an_entry():
    user = UserFactory()
    at = datetime(2026, 11, 18, 5, 30, tzinfo=UTC)
    base = dict(at=at, user_id=user.id, action="view", record_type="child", record_id="1")
    entry = AuditEvent(**base, remote_addr="10.0.0.1", prev_hash=GENESIS)
    changes = {
        "at": datetime(2026, 11, 18, 5, 30, 0, 1, tzinfo=UTC),
        "user_id": None,
        "action": "change",
        "record_type": "school_class",
        "record_id": "2",
        "remote_addr": "10.0.0.2",
        "prev_hash": "1" * 64,
    }
    original = entry_hash(entry)
    for name, value in changes.items():
        changed = AuditEvent(**{**base, "remote_addr": "10.0.0.1", "prev_hash": GENESIS})
        setattr(changed, name, value)
        assert entry_hash(changed) != original, name


def test_the_database_refuses_to_change_or_delete_an_audit_entry():
    [entry_id] = write_events(1)
    with pytest.raises(DBAPIError):
        db.session.execute(
            update(AuditEvent).values(action="nothing").where(TABLE.c.id == entry_id)
        )
    db.session.rollback()
    with pytest.raises(DBAPIError):
        db.session.execute(delete(AuditEvent).where(TABLE.c.id == entry_id))
    db.session.rollback()
    assert db.session.get(AuditEvent, entry_id).action == "view"


def test_verify_names_an_altered_entry(runner):
    ids = write_events(5)
    tamper(update(TABLE).where(TABLE.c.id == ids[2]).values(record_id="someone-else"))
    result = verify_command(runner)
    assert result.exit_code == 1
    assert f"Entry {ids[2]} was altered" in result.output
    assert "2 entries before it are intact" in result.output


def test_verify_names_the_break_where_an_entry_was_deleted(runner):
    ids = write_events(5)
    tamper(delete(TABLE).where(TABLE.c.id == ids[2]))
    result = verify_command(runner)
    assert result.exit_code == 1
    assert f"Entry {ids[3]} does not follow entry {ids[1]}" in result.output
    assert "missing" in result.output


def test_verify_notices_an_altered_entry_whose_hash_was_recomputed(runner):
    ids = write_events(4)
    entry = db.session.get(AuditEvent, ids[1])
    entry.action = "nothing"  # only to compute the forged hash; never flushed
    forged = entry_hash(entry)
    db.session.rollback()
    tamper(update(TABLE).where(TABLE.c.id == ids[1]).values(action="nothing", hash=forged))
    result = verify_command(runner)
    assert result.exit_code == 1
    assert f"Entry {ids[2]} does not follow entry {ids[1]}" in result.output


def test_verify_names_an_entry_out_of_order(runner):
    ids = write_events(4)
    spare = ids[-1] + 100
    tamper(update(TABLE).where(TABLE.c.id == ids[1]).values(id=spare))
    tamper(update(TABLE).where(TABLE.c.id == ids[2]).values(id=ids[1]))
    tamper(update(TABLE).where(TABLE.c.id == spare).values(id=ids[2]))
    result = verify_command(runner)
    assert result.exit_code == 1
    assert f"Entry {ids[1]} is out of order: it follows entry {ids[2]}" in result.output


def test_verify_notices_entries_missing_from_the_start(runner):
    ids = write_events(3)
    tamper(delete(TABLE).where(TABLE.c.id == ids[0]))
    result = verify(batch=2)
    assert (result.broken_id, result.problem, result.previous_id) == (ids[1], "missing", None)


def test_events_of_a_unit_of_work_that_rolls_back_are_not_written():
    audit("view", "child", "rolled-back")
    db.session.rollback()
    write_events(1)
    assert db.session.scalars(select(AuditEvent.record_id)).all() == ["child-0"]
    assert verify().intact


def test_many_entries_in_one_commit_are_chained_in_id_order():
    write_events(300)
    assert verify().count == 300


def test_a_commits_entries_are_written_in_one_statement_after_what_they_name():
    """A list of a hundred children, an import or a sync batch: one INSERT, not one each."""
    user = UserFactory.build(id=uuid.uuid4())
    db.session.add(user)  # not written yet, and the last entry names them
    for number in range(100):
        audit("view", "child", f"child-{number}")
    db.session.info[PENDING][-1].user_id = user.id
    with count_queries() as statements:
        db.session.commit()
    inserts = [s for s in statements if s.startswith("INSERT INTO audit_event")]
    assert len(inserts) == 1
    assert verify().count == 100


def _write_in_own_session(app, count: int, errors: list) -> None:
    try:
        with app.app_context():
            for number in range(count):
                audit("view", "child", f"{threading.current_thread().name}-{number}")
                db.session.commit()
    except Exception as error:  # the test thread reports it
        errors.append(error)


def test_concurrent_writers_add_to_one_chain(app):
    errors: list = []
    threads = [
        threading.Thread(target=_write_in_own_session, args=(app, 20, errors), name=f"w{n}")
        for n in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = verify()
    assert (result.intact, result.count) == (True, 60)


def test_a_writer_chains_after_another_that_read_the_head_first(app, monkeypatch):
    """The first writer has read the last hash and not yet inserted: the second must wait
    for it (else both would follow the same entry)."""
    write_events(1)
    has_read, go_on = threading.Event(), threading.Event()
    original = audit_chain.entry_hash

    def paused_hash(entry):
        if threading.current_thread().name == "first":
            has_read.set()
            go_on.wait(10)
        return original(entry)

    monkeypatch.setattr(audit_chain, "entry_hash", paused_hash)
    errors: list = []
    first = threading.Thread(target=_write_in_own_session, args=(app, 1, errors), name="first")
    second = threading.Thread(target=_write_in_own_session, args=(app, 1, errors), name="second")
    first.start()
    has_read.wait(10)
    second.start()
    second.join(0.5)  # a moment in which a second writer without the lock would finish first
    go_on.set()
    first.join()
    second.join()
    assert errors == []
    monkeypatch.undo()
    names = db.session.scalars(select(AuditEvent.record_id).order_by(AuditEvent.id)).all()
    assert names == ["child-0", "first-0", "second-0"]
    assert verify().intact


def test_the_migration_hashes_existing_entries_as_the_app_does():
    path = os.path.join(ROOT, "migrations", "versions", "0007_audit_chain.py")
    spec = importlib.util.spec_from_file_location("migration_0007", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    [entry_id] = write_events(1)
    row = db.session.execute(select(TABLE).where(TABLE.c.id == entry_id)).one()
    assert migration.hash_of(row, GENESIS) == row.hash
