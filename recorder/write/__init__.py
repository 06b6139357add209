"""The one write path: every change goes through a function here that takes a `Tx`.

`entries.log_entry` logs a contact (with its platform, case, follow-up and
attachments); the other modules open and edit cases and platforms, keep the derived
columns, run the duplicate checks, record decisions and merges, and append the audit
chain. Opening a store (migrations, presets, back-fills) is `opening.open_store`.
"""
