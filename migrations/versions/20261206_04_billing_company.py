"""billing company and VAT number: on the order (given at checkout or corrected later), frozen on each invoice

Revision ID: 20261206_04
Revises: 20261206_03
Create Date: 2026-12-06 02:15:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20261206_04'
down_revision = '20261206_03'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('customer_order', 'invoice'):
        prefix = 'billing' if table == 'customer_order' else 'customer'
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(f'{prefix}_company', sa.String(length=200), server_default='',
                                          nullable=False))
            batch_op.add_column(sa.Column(f'{prefix}_vat_number', sa.String(length=20), server_default='',
                                          nullable=False))


def downgrade():
    for table in ('customer_order', 'invoice'):
        prefix = 'billing' if table == 'customer_order' else 'customer'
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(f'{prefix}_vat_number')
            batch_op.drop_column(f'{prefix}_company')
