"""The schema revision this recorder writes, known without importing Alembic."""

SCHEMA_HEAD = "0013"
"""The newest migration in schema/versions. A test checks it against Alembic's head, so
that opening a current store costs one query and never imports Alembic."""
