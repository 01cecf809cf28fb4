"""Helpers shared by several test modules (tests import them from here, never
from another test module)."""
