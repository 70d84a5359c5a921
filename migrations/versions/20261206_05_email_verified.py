"""email verification: when the owner of the address confirmed it; accounts made before count as confirmed

Revision ID: 20261206_05
Revises: 20261206_04
Create Date: 2026-12-06 02:25:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20261206_05'
down_revision = '20261206_04'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(timezone=True), nullable=True))
    # Every account so far signed in with a password it received by mail, or confirmed its address at checkout.
    op.execute("UPDATE user_account SET email_verified_at = created_at")


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('email_verified_at')
