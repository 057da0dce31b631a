"""the classes a device created or opened, so that it opens their boards by itself

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "class_owners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_hash", sa.String(length=64), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("sealed_key", sa.String(length=64), nullable=False),
        sa.Column("opened", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("owner_hash", "class_id"),
    )
    with op.batch_alter_table("class_owners") as batch_op:
        batch_op.create_index(batch_op.f("ix_class_owners_class_id"), ["class_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("class_owners") as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_owners_class_id"))
    op.drop_table("class_owners")
