"""contract PDFs: the signed Premium Plus contract, rendered once after the signature

Revision ID: 20261206_03
Revises: 20261206_02
Create Date: 2026-12-06 02:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20261206_03'
down_revision = '20261206_02'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'contract_pdf',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subscription_id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'],
                                name=op.f('fk_contract_pdf_subscription_id_subscription')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_pdf')),
        sa.UniqueConstraint('subscription_id', name=op.f('uq_contract_pdf_subscription_id')),
    )


def downgrade():
    op.drop_table('contract_pdf')
