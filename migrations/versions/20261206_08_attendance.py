"""attendance: after a mentoring session, the learner's attendance and the mentor's note

Revision ID: 20261206_08
Revises: 20261206_07
Create Date: 2026-12-06 05:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20261206_08'
down_revision = '20261206_07'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mentoring_session') as batch:
        batch.add_column(sa.Column('attendance', sa.Enum('present', 'late', 'absent', 'excused', name='attendance',
                                                         native_enum=False, length=20), nullable=True))
        batch.add_column(sa.Column('attendance_note', sa.Text(), nullable=True))
        batch.add_column(sa.Column('attendance_recorded_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('mentoring_session') as batch:
        batch.drop_column('attendance_recorded_at')
        batch.drop_column('attendance_note')
        batch.drop_column('attendance')
