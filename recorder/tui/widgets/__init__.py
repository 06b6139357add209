"""Widgets and widget helpers shared by recorder's screens."""
