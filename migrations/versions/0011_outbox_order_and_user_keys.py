"""Outbox: ops of one record ordered by the device's sequence, re-stamped times, per-user keys

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sync_op', schema=None) as batch_op:
        batch_op.add_column(sa.Column('record_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('restamped_from', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_sync_op_device_record', ['device_id', 'kind', 'record_id', 'seq'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outbox_key', sa.LargeBinary(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('outbox_key')

    with op.batch_alter_table('sync_op', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_op_device_record')
        batch_op.drop_column('restamped_from')
        batch_op.drop_column('record_id')
