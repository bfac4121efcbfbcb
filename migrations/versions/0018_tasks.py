"""Follow-through: tasks (issue 14, point 5)

The committee's actions and the actions agreed at visits become tasks, which hold the one
status (open, done, blocked, withdrawn) with the note, who marked it, when, and a version; the
actions point to their task. The status column of the committee's actions moves to their tasks
(their index, by status and date, becomes the task's by child, status and date). Every mark
sent is kept in task_mark, by the id its page made.

Existing rows: each decision action gets a task with its status (an open action of a corrected
decision is withdrawn: the correction's own actions stand); each visit action an open task of
the child's social worker.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-12 00:00:00

"""
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('task',
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('source', sa.Enum('decision', 'visit', name='task_source', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('assignee', sa.Enum('social_worker', 'school', 'other_service', name='task_assignee', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('assignee_name', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('open', 'done', 'blocked', 'withdrawn', name='task_status', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('marked_by_id', sa.Uuid(), nullable=True),
    sa.Column('marked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_task_child_id_child')),
    sa.ForeignKeyConstraint(['marked_by_id'], ['user.id'], name=op.f('fk_task_marked_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task'))
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index('ix_task_child_status_due', ['child_id', 'status', 'due_on'], unique=False)
        batch_op.create_index('ix_task_source', ['source', 'source_id'], unique=False)

    op.create_table('task_mark',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('task_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.Enum('open', 'done', 'blocked', 'withdrawn', name='task_mark_status', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('marked_by_id', sa.Uuid(), nullable=False),
    sa.Column('marked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('applied', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['marked_by_id'], ['user.id'], name=op.f('fk_task_mark_marked_by_id_user')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_mark_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_mark'))
    )
    with op.batch_alter_table('task_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_mark_task_id'), ['task_id'], unique=False)

    with op.batch_alter_table('committee_decision_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('task_id', sa.Uuid(), nullable=True))
    with op.batch_alter_table('visit_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('task_id', sa.Uuid(), nullable=True))

    _tasks_of_existing_actions()

    with op.batch_alter_table('committee_decision_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_committee_decision_action_open_due'))
        batch_op.create_index(batch_op.f('ix_committee_decision_action_task_id'), ['task_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_committee_decision_action_task_id_task'), 'task', ['task_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('ck_committee_decision_action_committee_action_status'), type_='check')
        batch_op.drop_column('status')

    with op.batch_alter_table('visit_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_action_task_id'), ['task_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_visit_action_task_id_task'), 'task', ['task_id'], ['id'])


TASK = sa.table(
    'task',
    sa.column('id', sa.Uuid()),
    sa.column('child_id', sa.Uuid()),
    sa.column('source', sa.String()),
    sa.column('source_id', sa.Uuid()),
    sa.column('what', sa.Text()),
    sa.column('assignee', sa.String()),
    sa.column('assignee_name', sa.String()),
    sa.column('due_on', sa.Date()),
    sa.column('status', sa.String()),
    sa.column('note', sa.Text()),
    sa.column('created_at', sa.DateTime(timezone=True)),
    sa.column('version', sa.Integer()),
)
DECISION = sa.table('committee_decision', sa.column('id', sa.Uuid()), sa.column('corrects_id', sa.Uuid()), sa.column('recorded_at', sa.DateTime(timezone=True)))
DECISION_ACTION = sa.table(
    'committee_decision_action',
    sa.column('id', sa.Integer()),
    sa.column('decision_id', sa.Uuid()),
    sa.column('child_id', sa.Uuid()),
    *(sa.column(name, sa.String()) for name in ('what', 'assignee', 'assignee_name', 'status')),
    sa.column('due_on', sa.Date()),
    sa.column('task_id', sa.Uuid()),
)
REPORT = sa.table('visit_report', sa.column('id', sa.Uuid()), sa.column('child_id', sa.Uuid()), sa.column('created_at', sa.DateTime(timezone=True)))
VISIT_ACTION = sa.table(
    'visit_action',
    sa.column('id', sa.Integer()),
    sa.column('report_id', sa.Uuid()),
    sa.column('what', sa.String()),
    sa.column('who', sa.String()),
    sa.column('by_when', sa.Date()),
    sa.column('task_id', sa.Uuid()),
)


def _tasks_of_existing_actions():
    connection = op.get_bind()
    corrected = {row.corrects_id for row in connection.execute(sa.select(DECISION.c.corrects_id)) if row.corrects_id}
    rows = connection.execute(
        sa.select(DECISION_ACTION, DECISION.c.recorded_at).join(DECISION, DECISION.c.id == DECISION_ACTION.c.decision_id)
    ).all()
    for row in rows:
        status = row.status
        if row.decision_id in corrected and status in ('open', 'blocked'):
            status = 'withdrawn'
        task_id = _task(connection, row.child_id, 'decision', row.decision_id, row.what, row.assignee, row.assignee_name, row.due_on, status, row.recorded_at)
        connection.execute(sa.update(DECISION_ACTION).where(DECISION_ACTION.c.id == row.id).values(task_id=task_id))
    rows = connection.execute(
        sa.select(VISIT_ACTION, REPORT.c.child_id, REPORT.c.created_at).join(REPORT, REPORT.c.id == VISIT_ACTION.c.report_id)
    ).all()
    for row in rows:
        task_id = _task(connection, row.child_id, 'visit', row.report_id, row.what, 'social_worker', row.who or '', row.by_when, 'open', row.created_at)
        connection.execute(sa.update(VISIT_ACTION).where(VISIT_ACTION.c.id == row.id).values(task_id=task_id))


def _task(connection, child_id, source, source_id, what, assignee, name, due_on, status, created_at):
    task_id = uuid.uuid4()
    connection.execute(
        sa.insert(TASK).values(
            id=task_id, child_id=child_id, source=source, source_id=source_id, what=what,
            assignee=assignee, assignee_name=name or '', due_on=due_on, status=status, note='',
            created_at=created_at, version=1,
        )
    )
    return task_id


def downgrade():
    with op.batch_alter_table('visit_action', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_visit_action_task_id_task'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_visit_action_task_id'))
        batch_op.drop_column('task_id')

    with op.batch_alter_table('committee_decision_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.Enum('open', 'done', 'blocked', name='committee_action_status', native_enum=False, create_constraint=True, length=10), server_default='open', nullable=False))
    # A task's status goes back to its action; a withdrawn one was open.
    status = sa.select(TASK.c.status).where(TASK.c.id == DECISION_ACTION.c.task_id).scalar_subquery()
    op.get_bind().execute(
        sa.update(DECISION_ACTION).where(DECISION_ACTION.c.task_id.is_not(None))
        .values(status=sa.case((status == 'withdrawn', 'open'), else_=status))
    )
    with op.batch_alter_table('committee_decision_action', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_committee_decision_action_task_id_task'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_committee_decision_action_task_id'))
        batch_op.create_index(batch_op.f('ix_committee_decision_action_open_due'), ['status', 'due_on'], unique=False)
        batch_op.drop_column('task_id')

    with op.batch_alter_table('task_mark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_mark_task_id'))

    op.drop_table('task_mark')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index('ix_task_source')
        batch_op.drop_index('ix_task_child_status_due')

    op.drop_table('task')
