"""a device's own labelled digits, kept like its runs

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "my_digits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.Integer(), nullable=False),
        sa.Column("image", sa.LargeBinary(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("my_digits") as batch_op:
        batch_op.create_index(batch_op.f("ix_my_digits_owner_hash"), ["owner_hash"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("my_digits") as batch_op:
        batch_op.drop_index(batch_op.f("ix_my_digits_owner_hash"))
    op.drop_table("my_digits")
