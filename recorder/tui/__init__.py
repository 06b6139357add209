"""recorder's terminal UI (Textual): the only part of recorder that imports Textual."""
