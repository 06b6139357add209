"""Bringing in what support sent: emails, mailboxes, IMAP folders and chat transcripts,
each turned into an `Entry` for the one write path."""
