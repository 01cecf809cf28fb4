"""DutyDesk: a keyboard-only terminal kiosk for the duty desk (值班台)."""

__version__ = "0.1.0"
