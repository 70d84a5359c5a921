"""disciplinary cases: the procedure of the Student Rules before a sanction (notification, answer, reasoned
decision)

Revision ID: 20261206_11
Revises: 20261206_10
Create Date: 2026-12-06 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20261206_11'
down_revision = '20261206_10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('disciplinary_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rule', sa.Enum('attendance', 'conduct', 'originality', 'platform_use',
        name='rulebreached', native_enum=False, length=30), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('considered', sa.Enum('warning', 'mentoring_suspension', 'termination',
        name='sanction', native_enum=False, length=30), nullable=False),
    sa.Column('answer_by', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('interview_requested', sa.Boolean(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Enum('warning', 'mentoring_suspension', 'termination',
        name='sanction', native_enum=False, length=30), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('suspended_until', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'],
        name=op.f('fk_disciplinary_case_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['learner_id'], ['user_account.id'],
        name=op.f('fk_disciplinary_case_learner_id_user_account')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user_account.id'],
        name=op.f('fk_disciplinary_case_opened_by_id_user_account')),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'],
        name=op.f('fk_disciplinary_case_subscription_id_subscription')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disciplinary_case'))
    )
    with op.batch_alter_table('disciplinary_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disciplinary_case_learner_id'), ['learner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disciplinary_case_subscription_id'), ['subscription_id'], unique=False)
        batch_op.create_index('uq_disciplinary_case_open', ['subscription_id'], unique=True,
                              sqlite_where=sa.text('decided_at IS NULL'),
                              postgresql_where=sa.text('decided_at IS NULL'))


def downgrade():
    with op.batch_alter_table('disciplinary_case', schema=None) as batch_op:
        batch_op.drop_index('uq_disciplinary_case_open')
        batch_op.drop_index(batch_op.f('ix_disciplinary_case_subscription_id'))
        batch_op.drop_index(batch_op.f('ix_disciplinary_case_learner_id'))

    op.drop_table('disciplinary_case')
