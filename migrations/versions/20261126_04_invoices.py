"""invoices, credit notes and their number counters

Revision ID: 20261126_04
Revises: 20261126_03
Create Date: 2026-11-26 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261126_04'
down_revision = '20261126_03'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('invoice_counter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prefix', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_counter')),
    sa.UniqueConstraint('prefix', 'year', name='uq_invoice_counter_prefix_year')
    )
    op.create_table('invoice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('kind', sa.Enum('invoice', 'credit_note', name='invoicekind', native_enum=False, length=20), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('transaction_id', sa.Integer(), nullable=False),
    sa.Column('credited_invoice_id', sa.Integer(), nullable=True),
    sa.Column('description_fr', sa.String(length=300), nullable=False),
    sa.Column('description_en', sa.String(length=300), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('amount_ttc_cents', sa.Integer(), nullable=False),
    sa.Column('vat_rate_percent', sa.Integer(), nullable=False),
    sa.Column('vat_cents', sa.Integer(), nullable=False),
    sa.Column('amount_ht_cents', sa.Integer(), nullable=False),
    sa.Column('discount_cents', sa.Integer(), nullable=False),
    sa.Column('payment_method_label', sa.String(length=80), nullable=False),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('customer_name', sa.String(length=200), nullable=False),
    sa.Column('customer_address', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('seller', sa.JSON(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['credited_invoice_id'], ['invoice.id'], name=op.f('fk_invoice_credited_invoice_id_invoice')),
    sa.ForeignKeyConstraint(['order_id'], ['customer_order.id'], name=op.f('fk_invoice_order_id_customer_order')),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'], name=op.f('fk_invoice_subscription_id_subscription')),
    sa.ForeignKeyConstraint(['transaction_id'], ['payment_transaction.id'], name=op.f('fk_invoice_transaction_id_payment_transaction')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_invoice_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice')),
    sa.UniqueConstraint('number', name=op.f('uq_invoice_number')),
    sa.UniqueConstraint('transaction_id', name=op.f('uq_invoice_transaction_id'))
    )
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoice_subscription_id'), ['subscription_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoice_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_user_id'))
        batch_op.drop_index(batch_op.f('ix_invoice_subscription_id'))

    op.drop_table('invoice')
    op.drop_table('invoice_counter')
