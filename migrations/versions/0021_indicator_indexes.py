"""The district indicators' reads served by indexes (issue 15, point 6)

A district's attendance over a period is read child by child from the unique (child, day)
index of the marks; on PostgreSQL that index now carries the mark's status too (INCLUDE), so
the read never leaves the index (measured at 10,000 children and a year of marks: the marks of
the academic year so far 555 -> 111 ms, each mark's row had been fetched from its own page).
SQLite keeps its index as it was.

The term results of the terms in a period: an index on (term, child, mark), which holds all
the figure reads (the page had read every term's results, 190 -> 53 ms for the year).

The unique key is rebuilt in one ALTER TABLE: the table is locked while it is built.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 09:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            'ALTER TABLE attendance_mark'
            ' DROP CONSTRAINT uq_attendance_mark_child_id_day,'
            ' ADD CONSTRAINT uq_attendance_mark_child_id_day UNIQUE (child_id, day) INCLUDE (status)'
        )
    with op.batch_alter_table('term_result', schema=None) as batch_op:
        batch_op.create_index(
            'ix_term_result_term_child_mark', ['term_id', 'child_id', 'mark'], unique=False
        )


def downgrade():
    with op.batch_alter_table('term_result', schema=None) as batch_op:
        batch_op.drop_index('ix_term_result_term_child_mark')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            'ALTER TABLE attendance_mark'
            ' DROP CONSTRAINT uq_attendance_mark_child_id_day,'
            ' ADD CONSTRAINT uq_attendance_mark_child_id_day UNIQUE (child_id, day)'
        )
