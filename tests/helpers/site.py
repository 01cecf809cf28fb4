"""What the test site is made of: its time zone and the PIN every person of it has."""

from __future__ import annotations

TZ = "Asia/Shanghai"
PIN = "5903"  # not trivial (no date, pattern or common PIN): real-site rules apply
