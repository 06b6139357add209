"""The screens of recorder's terminal UI."""
