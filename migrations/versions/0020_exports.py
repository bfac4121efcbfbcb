"""The record of every export (issue 15, point 3)

Who took which export (the district's indicators or the list of followed children), in which
format (CSV, XLSX, PDF) and variant (for the committee, or reported upwards with small counts
hidden), for which period and school, and how many rows it held. The audit trail names the
record by its id (audit_event holds ids and fixed words only).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-14 00:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('export',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('part', sa.String(length=40), nullable=True),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('variant', sa.String(length=12), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('school_id', sa.Uuid(), nullable=True),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_export_school_id_school')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_export_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export'))
    )
    with op.batch_alter_table('export', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('export', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_user_id'))
    op.drop_table('export')
