"""The kiosk's screens. They call :mod:`dutydesk.domain`, never the models."""
