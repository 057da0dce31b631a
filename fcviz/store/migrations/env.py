"""Alembic's entry: fcviz runs migrations itself (`fcviz.store.database.migrate`) on a connection it passes in."""
from alembic import context

from fcviz.store.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
