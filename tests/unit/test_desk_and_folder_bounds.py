"""F9 site section: desk codes, names and locations and the backup folder are bounded
in dutydesk.domain.bounds; the refusal names the field, so the form shows it there."""

from __future__ import annotations

import pytest

from dutydesk.domain import site_settings as ss
from dutydesk.domain.site import DeskSpec, get_site
from dutydesk.errors import ValidationError


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        (DeskSpec("car park", "停车场岗", "security-2"), "code"),
        (DeskSpec("x" * 17, "停车场岗", "security-2"), "code"),
        (DeskSpec("carpark", "停" * 65, "security-2"), "name"),
        (DeskSpec("carpark", "Car\x1bpark", "security-2"), "name"),
        (DeskSpec("carpark", "停车场岗", "security-2", "B" * 65), "location"),
        (DeskSpec("carpark", "停车场岗", "security-2", "", "E" * 65), "name_en"),
    ],
)
def test_a_desk_out_of_bounds_is_refused_beside_its_field(site, spec, field):
    with pytest.raises(ValidationError) as exc:
        ss.add_desk(site.actor("S01"), spec)
    assert exc.value.field == field
    assert "carpark" not in [d.code for d in get_site().desks]


def test_a_desk_within_bounds_is_added(site):
    ss.add_desk(site.actor("S01"), DeskSpec("car_park-2", "停" * 64, "security-2", "B" * 64))
    assert "car_park-2" in [d.code for d in get_site().desks]


def test_backup_folder_bounded(site, tmp_path):
    boss = site.actor("S01")
    with pytest.raises(ValidationError) as exc:
        ss.set_backup(boss, folder="/mnt/" + "x" * 1000, same_disk=True)
    assert exc.value.field == "backup_dir"
    with pytest.raises(ValidationError) as exc:
        ss.set_backup(boss, folder="/mnt/usb\x07", same_disk=True)
    assert exc.value.field == "backup_dir"
