"""The audit trail as one hash chain: an entry changed, deleted or reordered shows.

Format (version 1). Each entry's `hash` is the lowercase hex SHA-256 of the UTF-8 bytes of
this JSON array, written with no spaces (separators "," and ":") and only ASCII
(`json.dumps(..., ensure_ascii=True, separators=(",", ":"))`):

    ["qadam-audit-1", prev_hash, at, user_id, action, record_type, record_id, remote_addr]

- prev_hash: the `hash` of the entry before it; 64 zeros ("0" * 64) for the first entry;
- at: the UTC time as ISO 8601 with microseconds and offset, "2026-11-18T05:30:00.000000+00:00";
- user_id: the UUID as 36 lowercase characters with hyphens, or null;
- action, record_type, record_id, remote_addr: the stored strings, or null.

The row id is not hashed: the database gives it at insert, and a rolled-back transaction
leaves a gap. Order and completeness are carried by the links: walked in id order, each
entry's prev_hash must be the hash of the entry before it. Deleting the newest entries
leaves a valid shorter chain: keep the head hash that `flask audit verify` prints somewhere
else (a ticket, an email) to notice that.

When the hash is computed: at commit, not when audit() is called. A before_commit hook takes
the chain's lock, reads the last hash (a lock statement and one query, once per commit that
carries events), chains the unit of work's pending events and inserts them, in one
statement. The lock is held from there to the end of the commit, so concurrent transactions
add to one chain, one at a time, and only for the short span of their commit:
- PostgreSQL: pg_advisory_xact_lock(CHAIN_LOCK), released by the commit itself. The read of
  the last hash is a statement after the lock, so it sees every chain commit before ours.
- SQLite serialises writers; the read must come after this transaction holds the write
  lock. If the transaction has not written yet, BEGIN IMMEDIATE takes the lock first.
Computing at audit() time instead would read the last hash before holding any lock (two
requests would chain to the same entry), or take the lock then and hold it for the rest of
the request (rendering included). Should the lock ever fail, the unique prev_hash makes the
second of two forking inserts fail rather than fork the chain.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import event, insert, select, text
from sqlalchemy.orm import Session, SessionTransaction

from app.core.audit import PENDING, AuditEvent
from app.extensions import db

VERSION = "qadam-audit-1"
GENESIS = "0" * 64
CHAIN_LOCK = 0x51AD_A0D1  # PostgreSQL advisory lock key of the audit chain ("qadam audit")


def entry_hash(entry) -> str:
    """The hash of an entry (an AuditEvent or a row with the same fields)."""
    fields = [
        VERSION,
        entry.prev_hash,
        entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        str(entry.user_id) if entry.user_id is not None else None,
        entry.action,
        entry.record_type,
        entry.record_id,
        entry.remote_addr,
    ]
    canonical = json.dumps(fields, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# -- writing


def listen() -> None:
    """Hook the chain into every session's commit (once per process)."""
    if not event.contains(Session, "before_commit", chain_pending):
        event.listen(Session, "before_commit", chain_pending)
        event.listen(Session, "after_transaction_end", drop_pending)


def chain_pending(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    previous = _lock_and_read_head(session)
    rows = []
    for entry in pending:
        entry.prev_hash = previous
        entry.hash = previous = entry_hash(entry)
        rows.append({column: getattr(entry, column) for column in _WRITTEN})
    # What the events name (a user made in this unit of work) is written first; then the
    # events in one statement, in chain order (the ORM would insert them one by one where it
    # must read back each new id, as on SQLite: 10,000 statements for a 10,000-row import).
    session.flush()
    session.execute(insert(AuditEvent.__table__), rows)  # Core: rows kept whole, in order


_WRITTEN = (
    "at",
    "user_id",
    "action",
    "record_type",
    "record_id",
    "remote_addr",
    "prev_hash",
    "hash",
)


def drop_pending(session: Session, transaction: SessionTransaction) -> None:
    """A unit of work ended without committing its events (rolled back, closed): drop them."""
    if transaction.parent is None:
        session.info.pop(PENDING, None)


def _lock_and_read_head(session: Session) -> str:
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    elif connection.dialect.name == "sqlite" and not _sqlite_writing(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    head = connection.execute(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    return head.scalar() or GENESIS


def _sqlite_writing(connection) -> bool:
    """pysqlite opens the transaction at the first write, which takes the write lock."""
    return connection.connection.driver_connection.in_transaction


# -- verifying


@dataclass
class Verification:
    count: int = 0  # entries checked and found intact
    head: str | None = None  # the last intact entry's hash
    broken_id: int | None = None
    problem: str | None = None  # "altered", "missing" or "out_of_order"
    follows_id: int | None = None  # out_of_order: the entry it was chained to
    previous_id: int | None = None  # the entry before it in id order

    @property
    def intact(self) -> bool:
        return self.broken_id is None

    def describe(self) -> str:
        if self.intact:
            return f"Audit trail intact: {self.count} entries. Head hash: {self.head or GENESIS}"
        after = f"entry {self.previous_id}" if self.previous_id else "the start of the trail"
        if self.problem == "altered":
            return f"Entry {self.broken_id} was altered: its hash does not match its contents."
        if self.problem == "out_of_order":
            return (
                f"Entry {self.broken_id} is out of order: it follows entry {self.follows_id}, "
                f"not {after}."
            )
        return (
            f"Entry {self.broken_id} does not follow {after}: the entry it was chained to "
            "is missing (deleted), or was altered and its hash recomputed."
        )


def verify(batch: int = 1000) -> Verification:
    """Walk the trail in id order, recompute every hash; stop at the first broken link."""
    table = AuditEvent.__table__
    rows = db.session.execute(select(table).order_by(table.c.id).execution_options(yield_per=batch))
    try:
        return _walk(rows)
    finally:
        rows.close()


def _walk(rows) -> Verification:
    table = AuditEvent.__table__
    result = Verification()
    previous_hash, previous_id = GENESIS, None
    for row in rows:
        if entry_hash(row) != row.hash:
            return _broken(result, row.id, previous_id, "altered")
        if row.prev_hash != previous_hash:
            follows = db.session.scalar(select(table.c.id).where(table.c.hash == row.prev_hash))
            problem = "missing" if follows is None else "out_of_order"
            return _broken(result, row.id, previous_id, problem, follows)
        result.count += 1
        result.head = previous_hash = row.hash
        previous_id = row.id
    return result


def _broken(result: Verification, entry_id, previous_id, problem, follows=None) -> Verification:
    result.broken_id, result.previous_id = entry_id, previous_id
    result.problem, result.follows_id = problem, follows
    return result
