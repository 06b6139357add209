"""Pure values and rules: vocabulary, errors, clock, dates, windows, calendars,
escalation, duplicate scoring and the audit chain's hashing.

Nothing here touches the database, the terminal or the command line: every module
takes plain values and returns plain values.
"""
