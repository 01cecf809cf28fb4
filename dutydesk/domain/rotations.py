"""Rotations live in :mod:`dutydesk.domain.roster.rotations`; this name stays for the
callers that import ``dutydesk.domain.rotations``."""

from dutydesk.domain.roster.rotations import (
    MAX_DAYS,
    ROTATIONS,
    Rotation,
    RotationConflict,
    RotationPlan,
    apply,
    preview,
    rotation,
    rotations_for,
)

__all__ = [
    "MAX_DAYS",
    "ROTATIONS",
    "Rotation",
    "RotationConflict",
    "RotationPlan",
    "apply",
    "preview",
    "rotation",
    "rotations_for",
]
