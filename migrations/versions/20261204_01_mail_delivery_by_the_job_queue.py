"""mail delivery by the job queue

Revision ID: 20261204_01
Revises: 20261126_15
Create Date: 2026-12-04 22:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261204_01'
down_revision = '20261126_15'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=10), nullable=False, server_default='pending'))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('message_id', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('dedupe_key', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_status'), ['status'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_outbox_message_dedupe_key'), ['dedupe_key'])
    op.execute("UPDATE outbox_message SET status = 'sent' WHERE sent_at IS NOT NULL")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.alter_column('status', server_default=None)


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_outbox_message_dedupe_key'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_outbox_message_status'))
        batch_op.drop_column('dedupe_key')
        batch_op.drop_column('message_id')
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('claimed_by')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('status')
