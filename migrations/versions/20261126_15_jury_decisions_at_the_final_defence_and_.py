"""jury decisions at the final defence and certificate PDFs per language

Revision ID: 20261126_15
Revises: 20261126_14
Create Date: 2026-11-26 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261126_15'
down_revision = '20261126_14'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_pdf',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'], name=op.f('fk_certificate_pdf_certificate_id_certificate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_pdf')),
    sa.UniqueConstraint('certificate_id', 'language', name='uq_certificate_pdf_certificate_language')
    )
    op.create_table('defence_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('parcours_id', sa.Integer(), nullable=False),
    sa.Column('defended_on', sa.Date(), nullable=False),
    sa.Column('favourable', sa.Boolean(), nullable=False),
    sa.Column('comments', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('diploma_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['diploma_id'], ['certificate.id'], name=op.f('fk_defence_decision_diploma_id_certificate')),
    sa.ForeignKeyConstraint(['parcours_id'], ['parcours.id'], name=op.f('fk_defence_decision_parcours_id_parcours')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_defence_decision_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_defence_decision_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_defence_decision'))
    )
    with op.batch_alter_table('defence_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_defence_decision_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('defence_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_defence_decision_user_id'))

    op.drop_table('defence_decision')
    op.drop_table('certificate_pdf')
