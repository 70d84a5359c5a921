"""time zone of a person: the zone a learner reads mentoring sessions' times in

Revision ID: 20261206_13
Revises: 20261206_12
Create Date: 2026-12-06 11:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20261206_13'
down_revision = '20261206_12'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=60), nullable=True))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('time_zone')

