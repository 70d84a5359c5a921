"""contact requests to Student Success ("Nous contacter") and their answers

Revision ID: 20261126_01
Revises: a21bfa7dd2dc
Create Date: 2026-11-26 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "20261126_01"
down_revision = "a21bfa7dd2dc"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "contact_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("question", sa.Enum("parcours", "admission", "financing", "premium", "technical", "other",
                                      name="contactquestion", native_enum=False, length=20), nullable=False),
        sa.Column("parcours_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["answered_by_id"], ["user_account.id"],
                                name=op.f("fk_contact_request_answered_by_id_user_account")),
        sa.ForeignKeyConstraint(["parcours_id"], ["parcours.id"],
                                name=op.f("fk_contact_request_parcours_id_parcours")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_contact_request_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_request")),
    )
    with op.batch_alter_table("contact_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_request_answered_at"), ["answered_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_request_parcours_id"), ["parcours_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_request_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("contact_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_request_user_id"))
        batch_op.drop_index(batch_op.f("ix_contact_request_parcours_id"))
        batch_op.drop_index(batch_op.f("ix_contact_request_answered_at"))

    op.drop_table("contact_request")
