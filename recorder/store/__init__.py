"""Persistence without business rules: tables, engines and migrations, sessions,
readers, stored-time helpers, lookups, attachments and where the files live.

This package's __init__ imports nothing: `recorder.store.readers` must load without
SQLAlchemy, which the light read path never imports.
"""
