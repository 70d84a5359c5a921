"""document audio: each section of a published legal document, read aloud in each language (MP3)

Revision ID: 20261206_14
Revises: 20261206_13
Create Date: 2026-12-06 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20261206_14'
down_revision = '20261206_13'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'rendered_audio',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_version_id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('anchor', sa.String(length=200), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['document_version_id'], ['legal_document_version.id'],
                                name=op.f('fk_rendered_audio_document_version_id_legal_document_version')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rendered_audio')),
        sa.UniqueConstraint('document_version_id', 'language', 'anchor', name='uq_rendered_audio_section'),
    )


def downgrade():
    op.drop_table('rendered_audio')
