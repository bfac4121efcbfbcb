"""Indexes: children in each reader's alphabetical order (PostgreSQL), the open review items

The district's list is ordered by coalesce(name, '') COLLATE "kk-x-icu" (Kazakh readers) or
"und-x-icu" (the others) on family name, given name and patronymic, then id
(app/children/services.py): on PostgreSQL one index for each order lets a page of a large
district read the page's children in order instead of sorting all of them. The expressions
are those the app's query sends, so that the planner matches them.

On SQLite these two are not made: its collations of those names are functions registered by
the app on each of its connections (app/i18n/collation.py), and an index using them would
leave the file unusable by any tool that opens it without them (sqlite3, a backup's check).

The committee's review list reads the items not reviewed yet, newest first: a partial index on
(added_at, id) of those items only, on both databases, stays as small as the list however many
items were reviewed before.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 00:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

NAME_ORDERS = {'ix_child_name_kk': 'kk-x-icu', 'ix_child_name_root': 'und-x-icu'}
OPEN = sa.text('reviewed_at IS NULL')


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for name, collation in NAME_ORDERS.items():
            keys = [f"(coalesce({column}, '') COLLATE \"{collation}\")"
                    for column in ('family_name', 'given_name', 'patronymic')]
            op.create_index(name, 'child', [sa.text(key) for key in keys] + ['id'])
    op.create_index('ix_review_item_open', 'review_item', ['added_at', 'id'],
                    postgresql_where=OPEN, sqlite_where=OPEN)


def downgrade():
    op.drop_index('ix_review_item_open', table_name='review_item')
    if op.get_bind().dialect.name == 'postgresql':
        for name in NAME_ORDERS:
            op.drop_index(name, table_name='child')
