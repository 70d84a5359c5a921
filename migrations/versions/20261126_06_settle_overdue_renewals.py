"""paying an overdue renewal at once on the provider's page

Revision ID: 20261126_06
Revises: 20261126_05
Create Date: 2026-11-26 07:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "20261126_06"
down_revision = "20261126_05"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('renewal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settle_attempt', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('settle_session_id', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('settle_redirect_url', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('renewal', schema=None) as batch_op:
        batch_op.drop_column('settle_redirect_url')
        batch_op.drop_column('settle_session_id')
        batch_op.drop_column('settle_attempt')
