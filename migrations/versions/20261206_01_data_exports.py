"""data exports: a person's data as a ZIP, asked from Mes paramètres and prepared by the job queue

Revision ID: 20261206_01
Revises: 20261205_04
Create Date: 2026-12-06 01:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20261206_01'
down_revision = '20261205_04'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'data_export',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=32), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ready_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('archive', sa.LargeBinary(), nullable=True),
        sa.Column('size_bytes', sa.Integer(), nullable=True),
        sa.Column('downloaded_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_data_export_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_export')),
        sa.UniqueConstraint('public_id', name=op.f('uq_data_export_public_id')),
    )
    with op.batch_alter_table('data_export', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_export_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('data_export', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_export_user_id'))
    op.drop_table('data_export')
