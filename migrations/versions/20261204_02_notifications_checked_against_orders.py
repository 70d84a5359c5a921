"""notifications checked against what they pay for

Revision ID: 20261204_02
Revises: 20261204_01
Create Date: 2026-12-04 22:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261204_02'
down_revision = '20261204_01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('processed_notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome', sa.Enum('applied', 'rejected', 'pending', name='notificationoutcome',
                                                         native_enum=False, length=20),
                                      server_default='applied', nullable=False))
        batch_op.add_column(sa.Column('reason', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('merchant_account', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('amount_cents', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('currency', sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column('original_reference', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('provider_reason', sa.String(length=300), nullable=True))
        batch_op.create_index(batch_op.f('ix_processed_notification_outcome'), ['outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_processed_notification_original_reference'), ['original_reference'],
                              unique=False)

    with op.batch_alter_table('payment_transaction', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_payment_transaction_original_id'), ['original_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_payment_transaction_original_id_payment_transaction'),
                                    'payment_transaction', ['original_id'], ['id'])

    # Rewards already given were earned when they were given.
    with op.batch_alter_table('referral_reward', schema=None) as batch_op:
        batch_op.add_column(sa.Column('earned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('taken_back_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE referral_reward SET earned_at = created_at")
    with op.batch_alter_table('referral_reward', schema=None) as batch_op:
        batch_op.alter_column('earned_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('referral_reward', schema=None) as batch_op:
        batch_op.drop_column('taken_back_at')
        batch_op.drop_column('earned_at')

    with op.batch_alter_table('payment_transaction', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_payment_transaction_original_id_payment_transaction'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_payment_transaction_original_id'))
        batch_op.drop_column('original_id')

    with op.batch_alter_table('processed_notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_processed_notification_original_reference'))
        batch_op.drop_index(batch_op.f('ix_processed_notification_outcome'))
        for column in ('provider_reason', 'original_reference', 'currency', 'amount_cents', 'merchant_account',
                       'reason', 'outcome'):
            batch_op.drop_column(column)
