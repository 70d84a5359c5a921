"""limits, sessions and first access

Revision ID: 20261204_03
Revises: 20261204_02
Create Date: 2026-12-04 22:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261204_03'
down_revision = '20261204_02'
branch_labels = None
depends_on = None


def upgrade():
    # "Rester connecté": a remembered session lasts SESSION_LIFETIME_SECONDS from its sign-in; any other one also
    # ends after SESSION_IDLE_TIMEOUT_SECONDS without activity. Sessions open before this revision were not
    # remembered in any way that was read: they count as not remembered.
    with op.batch_alter_table('user_session') as batch_op:
        batch_op.add_column(sa.Column('remember', sa.Boolean(), nullable=False, server_default=sa.false()))
    # Guardian requests are counted per address over the last day (the rate limit of the request form).
    with op.batch_alter_table('guardian_approval') as batch_op:
        batch_op.create_index('ix_guardian_approval_guardian_email_requested_at',
                              ['guardian_email', 'requested_at'])


def downgrade():
    with op.batch_alter_table('guardian_approval') as batch_op:
        batch_op.drop_index('ix_guardian_approval_guardian_email_requested_at')
    with op.batch_alter_table('user_session') as batch_op:
        batch_op.drop_column('remember')
