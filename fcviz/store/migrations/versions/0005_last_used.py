"""when each class, run, device's class and digit was last used: what the store's expiry reads

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# each table and the column its rows were last used at until now (their creation, or the class last opened)
SINCE = {"classes": "created", "class_owners": "opened", "runs": "created", "my_digits": "created"}
# Plain ALTER TABLEs, never a batch's copy of the table: SQLite (its foreign keys on) would delete every row that
# refers to a table it drops, so a copied `classes` would empty the runs, drawings and class_owners. SQLite adds
# a NOT NULL column only with a default, which it keeps (a constant no row has once the UPDATE ran).
EPOCH = sa.text("'1970-01-01 00:00:00'")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, since in SINCE.items():
        op.add_column(table, sa.Column("last_used", sa.DateTime(timezone=True), nullable=not sqlite,
                                       server_default=EPOCH if sqlite else None))
        op.execute(f"UPDATE {table} SET last_used = {since}")
        if not sqlite:
            op.alter_column(table, "last_used", existing_type=sa.DateTime(timezone=True), nullable=False)
        op.create_index(op.f(f"ix_{table}_last_used"), table, ["last_used"], unique=False)


def downgrade() -> None:
    for table in SINCE:
        op.drop_index(op.f(f"ix_{table}_last_used"), table_name=table)
        op.drop_column(table, "last_used")
