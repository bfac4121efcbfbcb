"""audit chain: each audit entry is hashed and linked to the one before; rows are append-only

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 16:35:56.596031

"""
import hashlib
import json
from datetime import UTC

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

GENESIS = "0" * 64
BATCH = 1000

# The database refuses to change or delete an audit entry. On SQLite, a batch_alter_table of
# audit_event recreates the table without them: a later migration doing so must recreate them.
POSTGRESQL_UP = [
    """
    CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP;
    END
    $$
    """,
    """
    CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
    """,
    """
    CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
    """,
]
POSTGRESQL_DOWN = [
    "DROP TRIGGER audit_event_no_truncate ON audit_event",
    "DROP TRIGGER audit_event_append_only ON audit_event",
    "DROP FUNCTION audit_event_append_only()",
]
SQLITE_UP = [
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused'); END
    """,
]
SQLITE_DOWN = ["DROP TRIGGER audit_event_no_delete", "DROP TRIGGER audit_event_no_update"]

audit_event = sa.table(
    'audit_event',
    sa.column('id', sa.Integer()),
    sa.column('at', sa.DateTime(timezone=True)),
    sa.column('user_id', sa.Uuid()),
    sa.column('action', sa.String()),
    sa.column('record_type', sa.String()),
    sa.column('record_id', sa.String()),
    sa.column('remote_addr', sa.String()),
    sa.column('prev_hash', sa.String()),
    sa.column('hash', sa.String()),
)


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))

    chain_existing_entries()

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_prev_hash'), ['prev_hash'])

    for statement in statements(POSTGRESQL_UP, SQLITE_UP):
        op.execute(statement)


def downgrade():
    for statement in statements(POSTGRESQL_DOWN, SQLITE_DOWN):
        op.execute(statement)
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_event_prev_hash'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')


def statements(postgresql: list[str], sqlite: list[str]) -> list[str]:
    return {"postgresql": postgresql, "sqlite": sqlite}.get(op.get_bind().dialect.name, [])


def chain_existing_entries() -> None:
    """Hash the entries written before the chain existed, in id order (format version 1)."""
    bind = op.get_bind()
    previous, last_id = GENESIS, 0
    while True:
        rows = bind.execute(
            sa.select(audit_event).where(audit_event.c.id > last_id)
            .order_by(audit_event.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        updates = []
        for row in rows:
            entry_hash = hash_of(row, previous)
            updates.append({"entry_id": row.id, "p": previous, "h": entry_hash})
            previous, last_id = entry_hash, row.id
        bind.execute(
            audit_event.update()
            .where(audit_event.c.id == sa.bindparam("entry_id"))
            .values(prev_hash=sa.bindparam("p"), hash=sa.bindparam("h")),
            updates,
        )


def hash_of(row, prev_hash: str) -> str:
    """A frozen copy of app/core/audit_chain.py entry_hash, format "qadam-audit-1"."""
    at = row.at.replace(tzinfo=UTC) if row.at.tzinfo is None else row.at.astimezone(UTC)
    fields = [
        "qadam-audit-1",
        prev_hash,
        at.isoformat(timespec="microseconds"),
        str(row.user_id) if row.user_id is not None else None,
        row.action,
        row.record_type,
        row.record_id,
        row.remote_addr,
    ]
    canonical = json.dumps(fields, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
