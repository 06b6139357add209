"""recorder: your own record of every contact with customer support."""
