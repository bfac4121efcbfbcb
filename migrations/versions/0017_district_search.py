"""The committee's district list: an index on the caseload by child

A child is "followed" when a social worker has them in their caseload and their case is open
(app/children/district.py). The caseload's key is (user, child): asking whether a child is on
anyone's caseload read the whole caseload of the country for each page (a hashed scan, twice a
page), and the "followed first" order sorted the district's followed children. By child, each
is one probe.

No index for the name search: a search reads only the district's children (by the index on
their class) and tests their folded names, 2 to 6 ms at 10,000 children of 50,000 (measured on
PostgreSQL 15); a trigram index would serve the country's children, which no search reads.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-10 00:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('caseload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_caseload_child_id'), ['child_id'], unique=False)


def downgrade():
    with op.batch_alter_table('caseload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_caseload_child_id'))
