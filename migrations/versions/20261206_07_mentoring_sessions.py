"""mentoring sessions: the weekly slots a mentor offers, the sessions learners book in them, a mentor's video-call
address, and the sessions a Parcours gives each month

Revision ID: 20261206_07
Revises: 20261206_06
Create Date: 2026-12-06 05:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20261206_07'
down_revision = '20261206_06'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mentor_slot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('mentor_id', sa.Integer(), nullable=False),
        sa.Column('weekday', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.Time(), nullable=False),
        sa.Column('time_zone', sa.String(length=60), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['mentor_id'], ['user_account.id'], name=op.f('fk_mentor_slot_mentor_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_slot')),
        sa.UniqueConstraint('mentor_id', 'weekday', 'starts_at', name='uq_mentor_slot'),
    )
    op.create_index(op.f('ix_mentor_slot_mentor_id'), 'mentor_slot', ['mentor_id'], unique=False)
    op.create_table(
        'mentoring_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subscription_id', sa.Integer(), nullable=False),
        sa.Column('learner_id', sa.Integer(), nullable=False),
        sa.Column('mentor_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.Enum('booked', 'cancelled', name='sessionstatus', native_enum=False, length=20),
                  nullable=False),
        sa.Column('video_url', sa.String(length=300), nullable=False),
        sa.Column('uid', sa.String(length=100), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('late_cancellation_reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['learner_id'], ['user_account.id'],
                                name=op.f('fk_mentoring_session_learner_id_user_account')),
        sa.ForeignKeyConstraint(['mentor_id'], ['user_account.id'],
                                name=op.f('fk_mentoring_session_mentor_id_user_account')),
        sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'],
                                name=op.f('fk_mentoring_session_subscription_id_subscription')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_session')),
        sa.UniqueConstraint('uid', name=op.f('uq_mentoring_session_uid')),
    )
    op.create_index(op.f('ix_mentoring_session_learner_id'), 'mentoring_session', ['learner_id'], unique=False)
    op.create_index(op.f('ix_mentoring_session_subscription_id'), 'mentoring_session', ['subscription_id'],
                    unique=False)
    op.create_index('uq_mentoring_session_booked_slot', 'mentoring_session', ['mentor_id', 'starts_at'],
                    unique=True, sqlite_where=sa.text("status = 'booked'"),
                    postgresql_where=sa.text("status = 'booked'"))
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('video_call_url', sa.String(length=300), nullable=True))
    with op.batch_alter_table('parcours') as batch:
        batch.add_column(sa.Column('sessions_per_month', sa.Integer(), server_default='4', nullable=False))


def downgrade():
    with op.batch_alter_table('parcours') as batch:
        batch.drop_column('sessions_per_month')
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('video_call_url')
    op.drop_index('uq_mentoring_session_booked_slot', table_name='mentoring_session')
    op.drop_index(op.f('ix_mentoring_session_subscription_id'), table_name='mentoring_session')
    op.drop_index(op.f('ix_mentoring_session_learner_id'), table_name='mentoring_session')
    op.drop_table('mentoring_session')
    op.drop_index(op.f('ix_mentor_slot_mentor_id'), table_name='mentor_slot')
    op.drop_table('mentor_slot')
