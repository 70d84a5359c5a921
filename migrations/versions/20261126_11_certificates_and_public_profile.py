"""certificates of achievement and diplomas, and the opt-in public profile

Revision ID: 20261126_11
Revises: 20261126_10
Create Date: 2026-11-26 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261126_11'
down_revision = '20261126_10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.Enum('course', 'diploma', name='certificatekind', native_enum=False, length=20), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('parcours_id', sa.Integer(), nullable=True),
    sa.Column('learner_name', sa.String(length=210), nullable=False),
    sa.Column('title_fr', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('grade_percent', sa.Integer(), nullable=True),
    sa.Column('defended_on', sa.Date(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revocation_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("(kind = 'course' AND course_id IS NOT NULL AND parcours_id IS NULL AND grade_percent IS NOT NULL AND defended_on IS NULL) OR (kind = 'diploma' AND parcours_id IS NOT NULL AND course_id IS NULL AND grade_percent IS NULL AND defended_on IS NOT NULL)", name=op.f('ck_certificate_one_subject')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_certificate_course_id_course')),
    sa.ForeignKeyConstraint(['parcours_id'], ['parcours.id'], name=op.f('fk_certificate_parcours_id_parcours')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_certificate_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    sa.UniqueConstraint('public_id', name=op.f('uq_certificate_public_id')),
    sa.UniqueConstraint('user_id', 'course_id', name='uq_certificate_user_course'),
    sa.UniqueConstraint('user_id', 'parcours_id', name='uq_certificate_user_parcours')
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_parcours_id'), ['parcours_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_profile', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('public_profile_id', sa.String(length=40), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_user_account_public_profile_id'), ['public_profile_id'])


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_account_public_profile_id'), type_='unique')
        batch_op.drop_column('public_profile_id')
        batch_op.drop_column('public_profile')

    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_user_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_parcours_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_course_id'))

    op.drop_table('certificate')
