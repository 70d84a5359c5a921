"""attendance corrections: the contest of an attendance record, and Student Success's correction of it

Revision ID: 20261206_12
Revises: 20261206_11
Create Date: 2026-12-06 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20261206_12'
down_revision = '20261206_11'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mentoring_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contest_request_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('attendance_corrected_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_mentoring_session_contest_request_id_contact_request'),
                                    'contact_request', ['contest_request_id'], ['id'])


def downgrade():
    with op.batch_alter_table('mentoring_session', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_mentoring_session_contest_request_id_contact_request'),
                                 type_='foreignkey')
        batch_op.drop_column('attendance_corrected_at')
        batch_op.drop_column('contest_request_id')

