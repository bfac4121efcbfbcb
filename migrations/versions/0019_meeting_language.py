"""The language of a committee meeting's minutes (issue 14, point 6)

A meeting's minutes are written in one language, Kazakh, Russian or Arabic, chosen when the
meeting is created; the meetings held before this revision are in Kazakh, the district's
default.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-12 00:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('committee_meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=2), server_default='kk', nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_committee_meeting_language'), "language IN ('kk', 'ru', 'ar')"
        )


def downgrade():
    with op.batch_alter_table('committee_meeting', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_committee_meeting_language'), type_='check')
        batch_op.drop_column('language')
