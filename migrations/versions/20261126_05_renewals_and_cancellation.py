"""renewals of monthly periods, cancellation and dunning dates on subscriptions

Revision ID: 20261126_05
Revises: 20261126_04
Create Date: 2026-11-26 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "20261126_05"
down_revision = "20261126_04"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('renewal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('period_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('discount_cents', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'paid', 'failed', name='renewalstatus', native_enum=False, length=20), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('next_try_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('psp_reference', sa.String(length=80), nullable=True),
    sa.Column('refusal_reason', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'], name=op.f('fk_renewal_subscription_id_subscription')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_renewal')),
    sa.UniqueConstraint('subscription_id', 'period_start', name='uq_renewal_period')
    )
    with op.batch_alter_table('renewal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_renewal_subscription_id'), ['subscription_id'], unique=False)

    with op.batch_alter_table('subscription', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancel_requested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('past_due_since', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('subscription', schema=None) as batch_op:
        batch_op.drop_column('past_due_since')
        batch_op.drop_column('cancel_requested_at')

    with op.batch_alter_table('renewal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_renewal_subscription_id'))

    op.drop_table('renewal')
