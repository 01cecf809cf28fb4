"""A member of staff as the features hand them to screens: number, staff number, name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class StaffLike(Protocol):
    """A staff row or a staff dataclass: anything with these three."""

    @property
    def id(self) -> int: ...
    @property
    def staff_no(self) -> str: ...
    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class Person:
    """Someone of the staff, as a roster cell or a handover names them."""

    id: int
    staff_no: str
    name: str

    @classmethod
    def of(cls, staff: StaffLike) -> Person:
        return cls(staff.id, staff.staff_no, staff.name)
