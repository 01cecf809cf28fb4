"""Reusable widgets of the kiosk (no database access: they show what screens give them)."""
