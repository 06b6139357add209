"""Exports of the record: files other programs and other people read."""
