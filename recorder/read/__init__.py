"""Views as plain values, from SQL text run by a `recorder.store.readers.Reader`.

Nothing here imports SQLAlchemy, so the lists and a case's detail can be read from a
SQLite store through the standard library alone (see `recorder.store.readers`).
"""
