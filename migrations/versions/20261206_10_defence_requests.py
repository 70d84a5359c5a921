"""defence requests: a learner asks for the final defence of a Parcours, with accommodations; Student Success
schedules it with a jury

Revision ID: 20261206_10
Revises: 20261206_09
Create Date: 2026-12-06 08:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20261206_10'
down_revision = '20261206_09'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('defence_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('parcours_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('extra_time', sa.Boolean(), nullable=False),
    sa.Column('sign_language', sa.Boolean(), nullable=False),
    sa.Column('other_format', sa.Boolean(), nullable=False),
    sa.Column('accommodation_details', sa.Text(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('video_url', sa.String(length=300), nullable=True),
    sa.Column('jury', sa.Text(), nullable=True),
    sa.Column('accommodation_answer', sa.Text(), nullable=True),
    sa.Column('scheduled_by_id', sa.Integer(), nullable=True),
    sa.Column('uid', sa.String(length=100), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['parcours_id'], ['parcours.id'], name=op.f('fk_defence_request_parcours_id_parcours')),
    sa.ForeignKeyConstraint(['scheduled_by_id'], ['user_account.id'],
        name=op.f('fk_defence_request_scheduled_by_id_user_account')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_defence_request_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_defence_request')),
    sa.UniqueConstraint('uid', name=op.f('uq_defence_request_uid'))
    )
    with op.batch_alter_table('defence_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_defence_request_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_defence_request_open', ['user_id', 'parcours_id'], unique=True,
                              sqlite_where=sa.text('closed_at IS NULL'), postgresql_where=sa.text('closed_at IS NULL'))


def downgrade():
    with op.batch_alter_table('defence_request', schema=None) as batch_op:
        batch_op.drop_index('uq_defence_request_open')
        batch_op.drop_index(batch_op.f('ix_defence_request_user_id'))

    op.drop_table('defence_request')
