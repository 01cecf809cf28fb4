"""The demo site "示例花园 / Demo Gardens": three desks, fifteen people, and history.

``build_demo`` creates it in its own file (never the real site database) or
reuses one built before. At the moment of creation G01 is on the security shift
that is on now and G02 on the next, E01 and E02 likewise at engineering, C01 at
the service desk; the shift on now at each desk is open, opened by the previous
shift's signed handover. Every demo PIN is 1234 (the only place a trivial PIN is
allowed).

History is written in bulk (``insert_many`` in large transactions, primary keys
computed here) so that ten years (``--days 3650``, the benchmark site) build in
well under three minutes. Bulk history carries no audit events; the few events
written (site set-up, the handovers that opened the current shifts) go through
:func:`dutydesk.domain.audit.record`, in time order, so the chain verifies.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import arrow
import peewee as pw

from dutydesk import models as m
from dutydesk.backends import is_postgres_target
from dutydesk.clock import Clock, FixedClock, SystemClock
from dutydesk.db import default_path, open_database, redact, sqlite_path_of, write
from dutydesk.domain import audit, canonical, incidents, patterns, search
from dutydesk.domain import handover as handovers
from dutydesk.domain.context import Actor
from dutydesk.domain.pins import DEMO_PIN
from dutydesk.domain.site import DeskSpec, check_timezone, create_site, local_timezone
from dutydesk.errors import ConfigError
from dutydesk.fields import JSONField
from dutydesk.i18n import N_

SITE_NAME = "示例花园 Demo Gardens"
SEED = 20261201
# Site.settings["demo"] marks a database as the demo's, so it may be reused or rebuilt:
# "building" while history is written, True once the build has finished.
DEMO_MARK = "demo"
BUILDING = "building"

DESKS = (
    DeskSpec("security", "保安亭", "security-3", "南门岗亭 / South gate", "Security booth"),
    DeskSpec("engineering", "工程值班室", "engineering", "1号楼 / B1", "Engineering duty room"),
    DeskSpec("service", "客服中心", "service", "会所 / 1F", "Customer-service centre"),
)

# (staff number, name, role, home desk)
STAFF = (
    ("S01", "孙建国", "supervisor", None),
    ("L01", "李卫东", "leader", "security"),
    ("G01", "王强", "guard", "security"),
    ("G02", "赵磊", "guard", "security"),
    ("G03", "陈刚", "guard", "security"),
    ("G04", "刘洋", "guard", "security"),
    ("G05", "杨帆", "guard", "security"),
    ("G06", "黄涛", "guard", "security"),
    ("E01", "钱志明", "engineer", "engineering"),
    ("E02", "周斌", "engineer", "engineering"),
    ("E03", "吴海", "engineer", "engineering"),
    ("E04", "郑伟", "engineer", "engineering"),
    ("C01", "周敏", "service", "service"),
    ("C02", "何静", "service", "service"),
    ("C03", "林芳", "service", "service"),
)

# Teams in rotation order: the first team is on the shift that is on at creation,
# the second on the next one, and so on round the cycle (a 4-team cycle for the
# three security shifts: each team works one shift in four, 24 h off between).
TEAMS: dict[str, tuple[tuple[str, ...], ...]] = {
    "security": (("G01",), ("G02",), ("G03", "G05"), ("G04", "G06")),
    "engineering": (("E01",), ("E02",), ("E03",), ("E04",)),
    "service": (("C01",), ("C02",), ("C03",)),
}


@dataclass(frozen=True)
class _Point:
    """One checkpoint of the demo (see :class:`dutydesk.models.Checkpoint`)."""

    code: str
    name: str
    name_en: str
    area: str
    kind: str
    expected_state: str = ""
    due_time: str = ""
    unit: str = ""
    range_min: float | None = None
    range_max: float | None = None
    expected_count: int | None = None


def _floors_switches(building: str, building_en: str, floors: Iterable[str]) -> list[_Point]:
    """Water and power switches on each floor (SG-6, SG-10)."""
    out = []
    for fl in floors:
        tag = f"{building_en[0]}{building_en[-1]}-{fl}"
        out.append(
            _Point(
                f"SW-{tag}-W",
                f"{building}{fl}水阀",
                f"{building_en} {fl} water valve",
                f"{building} / {fl}",
                "switch",
                expected_state="on",
            )
        )
        out.append(
            _Point(
                f"SW-{tag}-P",
                f"{building}{fl}电源开关",
                f"{building_en} {fl} power switch",
                f"{building} / {fl}",
                "switch",
                expected_state="on",
            )
        )
    return out


def _fire(building: str, building_en: str, fl: str) -> _Point:
    """Fire extinguishers expected present on a floor (SG-10)."""
    tag = f"{building_en[0]}{building_en[-1]}-{fl}"
    return _Point(
        f"FIRE-{tag}",
        f"{building}{fl}消防器材",
        f"{building_en} {fl} fire equipment",
        f"{building} / {fl}",
        "count",
        unit="具",
        expected_count=4,
    )


_B1, _B1_EN, _B2, _B2_EN = "1号楼", "Building 1", "2号楼", "Building 2"

# Routes: (name, name_en, kind, interval hours, fixed times, rounds per shift, stops).
_ROUTES: dict[str, list[tuple[str, str, str, float | None, str, int | None, list[_Point]]]] = {
    "security": [
        (
            "定时巡查",
            "Scheduled patrol",
            "interval",
            2.0,
            "",
            None,
            [
                _Point("GATE-S", "南门岗亭及道闸", "South gate and barrier", "南门", "condition"),
                _Point("GATE-N", "北门人行通道", "North pedestrian gate", "北门", "condition"),
                _Point("PARK-B1", "地下车库", "Underground car park", "地下车库 / B1", "condition"),
                _Point(
                    "WIN-B1-1F",
                    "1号楼一层门窗",
                    "Building 1 ground-floor doors and windows",
                    "1号楼 / 1F",
                    "condition",
                ),
                _Point(
                    "WIN-B2-1F",
                    "2号楼一层门窗",
                    "Building 2 ground-floor doors and windows",
                    "2号楼 / 1F",
                    "condition",
                ),
                _fire(_B1, _B1_EN, "1F"),
                _fire(_B1, _B1_EN, "2F"),
                _fire(_B1, _B1_EN, "3F"),
                _fire(_B2, _B2_EN, "1F"),
                _fire(_B2, _B2_EN, "2F"),
                _Point("PERIM-E", "东侧围墙", "East perimeter fence", "东区", "condition"),
                _Point("PERIM-W", "西侧围墙", "West perimeter fence", "西区", "condition"),
            ],
        ),
        # SG-6: irregular rounds of the floor switches and the warehouse.
        (
            "不定时巡查",
            "Irregular patrol",
            "irregular",
            None,
            "",
            2,
            [
                *_floors_switches(_B1, _B1_EN, ("1F", "2F", "3F")),
                *_floors_switches(_B2, _B2_EN, ("1F",)),
                _Point("WH-DOOR", "仓库门锁", "Warehouse door lock", "仓库 / B1", "condition"),
                _Point(
                    "WH-STOCK",
                    "仓库备用灭火器",
                    "Warehouse spare extinguishers",
                    "仓库 / B1",
                    "count",
                    unit="具",
                    expected_count=12,
                ),
            ],
        ),
    ],
    "engineering": [
        # EN-8.3.3, EN-8.3.4: readings with units and normal ranges.
        (
            "设备运行参数",
            "Equipment readings",
            "interval",
            4.0,
            "",
            None,
            [
                _Point(
                    "TX-TEMP",
                    "1号变压器温度",
                    "Transformer 1 temperature",
                    "配电房 / B1",
                    "reading",
                    unit="°C",
                    range_min=0,
                    range_max=85,
                ),
                _Point(
                    "SUPPLY-V",
                    "低压进线电压",
                    "Supply voltage",
                    "配电房 / B1",
                    "reading",
                    unit="V",
                    range_min=353.4,
                    range_max=406.6,
                ),
                _Point(
                    "PUMP-P",
                    "生活水泵出口压力",
                    "Water-pump outlet pressure",
                    "水泵房 / B2",
                    "reading",
                    unit="MPa",
                    range_min=0.3,
                    range_max=0.6,
                ),
                _Point(
                    "GEN-FUEL",
                    "发电机油位",
                    "Generator fuel level",
                    "发电机房 / B1",
                    "reading",
                    unit="%",
                    range_min=30,
                    range_max=100,
                ),
                _Point(
                    "CHILLER-OUT",
                    "冷水机组出水温度",
                    "Chiller outlet temperature",
                    "空调机房 / B2",
                    "reading",
                    unit="°C",
                    range_min=5,
                    range_max=12,
                ),
                _Point(
                    "SWITCH-ROOM", "配电房环境", "Switch-room condition", "配电房 / B1", "condition"
                ),
            ],
        ),
        (
            "设备房巡视",
            "Plant-room round",
            "interval",
            2.0,
            "",
            None,
            [
                _Point("PUMP-ROOM", "水泵房", "Pump room", "水泵房 / B2", "condition"),
                _Point("GEN-ROOM", "发电机房", "Generator room", "发电机房 / B1", "condition"),
                _Point("LIFT-ROOM", "电梯机房", "Lift machine room", "1号楼 / 屋顶", "condition"),
                _Point("HVAC-ROOM", "空调机房", "Chiller plant room", "空调机房 / B2", "condition"),
                _Point(
                    "FIRE-PUMP",
                    "消防泵控制柜（自动）",
                    "Fire-pump panel (automatic)",
                    "水泵房 / B2",
                    "switch",
                    expected_state="on",
                ),
            ],
        ),
    ],
    "service": [
        # CS4: public areas, sales office, bank, clubhouse, greenery.
        (
            "区域巡视",
            "Area inspection",
            "interval",
            3.0,
            "",
            None,
            [
                _Point("LOBBY-B1", "1号楼大堂", "Building 1 lobby", "1号楼 / 1F", "condition"),
                _Point("CLUB", "会所", "Clubhouse", "会所", "condition"),
                _Point("SALES", "销售中心", "Sales office", "销售中心", "condition"),
                _Point("BANK", "银行网点门前", "Bank branch frontage", "商业街", "condition"),
                _Point(
                    "GARDEN", "中心花园绿化", "Central garden greenery", "中心花园", "condition"
                ),
                _Point("PLAY", "儿童游乐区", "Children's playground", "中心花园", "condition"),
            ],
        ),
        # CS5: landscape lighting on at 18:30, off at 23:00.
        (
            "景观灯开启",
            "Landscape lights on",
            "fixed",
            None,
            "18:30",
            None,
            [
                _Point(
                    "LIGHT-ON",
                    "景观灯开启",
                    "Landscape lights on",
                    "中心花园",
                    "switch",
                    expected_state="on",
                    due_time="18:30",
                ),
            ],
        ),
        (
            "景观灯关闭",
            "Landscape lights off",
            "fixed",
            None,
            "23:00",
            None,
            [
                _Point(
                    "LIGHT-OFF",
                    "景观灯关闭",
                    "Landscape lights off",
                    "中心花园",
                    "switch",
                    expected_state="off",
                    due_time="23:00",
                ),
            ],
        ),
    ],
}

_TOOLS = {
    "security": [
        ("对讲机 Radio", 4),
        ("手电筒 Torch", 3),
        ("钥匙箱 Key cabinet", 1),
        ("急救箱 First-aid kit", 1),
        ("防暴叉 Restraint fork", 2),
    ],
    "engineering": [
        ("对讲机 Radio", 2),
        ("万用表 Multimeter", 1),
        ("钳形电流表 Clamp meter", 1),
        ("绝缘手套 Insulating gloves", 2),
        ("设备房钥匙 Plant-room keys", 1),
    ],
    "service": [
        ("对讲机 Radio", 2),
        ("雨伞 Umbrella", 10),
        ("急救箱 First-aid kit", 1),
        ("会所钥匙 Clubhouse keys", 1),
    ],
}

_CONTACTS = [
    ("supervisor", "孙建国 主管", "138 0000 0001"),
    ("captain", "李卫东 队长", "138 0000 0002"),
    ("duty_manager", "值班经理 Duty manager", "138 0000 0003"),
    ("hr", "人事部 HR", "021 5555 0100"),
    ("police", "报警 Police", "110"),
    ("fire", "火警 Fire", "119"),
    ("ambulance", "急救 Ambulance", "120"),
]

# --- text pools (mixed Chinese and English, as a real site writes) ------------------------

_UNITS = [f"{b}-{f}{r:02d}" for b in (1, 2, 3, 5) for f in (2, 5, 8, 12, 15) for r in (1, 2)]

_LOG = {
    "security": [
        "岗亭设备检查正常，监控画面清晰。",
        "Delivery van for unit {unit} let in, left after 20 min.",
        "快递员未登记进入，已劝返并补登记。",
        "对讲机电池已更换，通话正常。",
        "Car parked in the fire lane by 2号楼; owner called, moved at once.",
        "夜间巡逻正常，无异常情况。",
        "协助{unit}业主搬运大件物品进电梯。",
        "南门道闸抬杆迟缓，已报工程部。",
        "Taxi waiting at the north gate moved on; gate kept clear.",
        "外来施工人员5名登记进场，装修{unit}。",
        "Resident of {unit} lost access card; identity checked, let in.",
        "地下车库照明一处不亮，已报修。",
    ],
    "engineering": [
        "配电房巡视正常，各回路电流平稳。",
        "2号生活水泵切换运行，1号泵备用。",
        "Generator weekly test run 15 min, normal.",
        "更换1号楼3F走廊灯管两支。",
        "Chiller plant: filters cleaned, pressure drop normal.",
        "电梯机房温度正常，通风良好。",
        "清理水泵房集水坑，排污泵运行正常。",
        "Meter readings taken for the monthly report.",
        "会所空调温控器故障，已复位。",
    ],
    "service": [
        "接待业主来访{n}人次，均已答复。",
        "Package received for {unit}, owner notified by phone.",
        "{unit}业主咨询物业费缴纳，已说明。",
        "景观灯按时开启，运行正常。",
        "Clubhouse booked for Saturday, deposit received.",
        "中心花园草坪浇水完成。",
        "办理{unit}装修登记手续。",
        "Notice about water shut-off posted in every lobby.",
    ],
}

_PHONE = [
    ("{unit}业主", "楼上噪音扰民，请求处理。", "已联系楼上住户，噪音停止。"),
    ("快递公司", "Asking for the gate code for a delivery.", "Told to register at the gate."),
    ("{unit} resident", "Water leaking from the ceiling.", "报工程部，已上门查看。"),
    ("{unit}业主", "询问停水时间。", "告知明日9:00–12:00停水检修。"),
    ("Duty manager", "Check that the north gate is locked at 23:00.", "Confirmed locked."),
    ("{unit}业主", "电梯按钮失灵。", "已通知电梯维保单位。"),
    ("供电局 Power company", "计划停电通知。", "已登记并通知客服中心张贴公告。"),
]

_VISITORS = [
    ("张师傅", "顺丰快递", "送件 Delivery"),
    ("Mr. Brown", "Elevator Co.", "Lift maintenance"),
    ("李女士", "", "探访{unit}业主 Visiting a resident"),
    ("王工", "消防检测公司", "消防设施年检 Fire equipment inspection"),
    ("陈先生", "装修公司", "装修{unit} Renovation"),
    ("Ms. Garcia", "Water utility", "Meter check"),
]

_SKIP_ROUND = [
    "暴雨，室外巡查暂停 / Heavy rain, outdoor round suspended",
    "处理突发事件，无法按时巡查 / Handling an incident",
    "陪同消防检查 / Escorting the fire inspection",
]
_SKIP_CHECK = [
    "区域施工封闭 / Area closed for works",
    "门锁住，钥匙在工程部 / Locked, key at engineering",
]
_OUT_OF_RANGE = "读数超出范围，已复核并上报 / Out of range, rechecked and reported"
_MISSING_ONE = "缺1具，已上报 / One missing, reported"
_PROBLEM = [
    "地面有积水 / Water on the floor",
    "照明一处不亮 / One light out",
    "门未关好，已关闭 / Door left open, closed",
    "垃圾未清理 / Litter not cleared",
]

# (category, place, description, actions, result, characteristics, people)
_INCIDENTS: dict[str, list[tuple[str, str, str, str, str, str, int]]] = {
    "security": [
        (
            "vehicle",
            "南门",
            "外来车辆未登记强行进入。",
            "拦停车辆，登记后放行。",
            "已处理",
            "白色轿车，沪A·{plate}",
            1,
        ),
        (
            "suspicious",
            "地下车库",
            "Person trying car doors in the car park.",
            "Approached and questioned; left the site.",
            "Resolved",
            "男，约30岁，黑色外套",
            1,
        ),
        (
            "dispute",
            "北门",
            "两名业主因停车位发生争执。",
            "劝解双方，已报人事部及客服。",
            "双方已离开",
            "两名男性业主",
            2,
        ),
        ("theft", "{unit}门口", "业主报快递被盗。", "调取监控，登记情况。", "已报客服跟进", "", 0),
        (
            "damage",
            "东侧围墙",
            "Fence panel bent, probably by a vehicle.",
            "Area taped off.",
            "Reported to engineering",
            "",
            0,
        ),
        (
            "intrusion",
            "西侧围墙",
            "发现有人翻越围墙。",
            "喝止并驱离。",
            "已离开",
            "两名青年男子",
            2,
        ),
        (
            "medical",
            "中心花园",
            "Elderly resident fell near the fountain.",
            "First aid given, family called.",
            "Resident went home",
            "女，约70岁",
            1,
        ),
        (
            "fire",
            "2号楼 / 3F",
            "楼道烟感报警，现场有烟味。",
            "到场检查，系住户做饭油烟。",
            "已复位报警",
            "",
            0,
        ),
        (
            "other",
            "南门",
            "Lost child found at the gate.",
            "Kept at the booth, parents called.",
            "Handed to parents",
            "男孩，约6岁",
            1,
        ),
    ],
    "engineering": [
        (
            "power",
            "1号楼 / 5F",
            "走廊照明回路跳闸。",
            "查明原因为灯具短路，更换后合闸。",
            "恢复供电",
            "",
            0,
        ),
        (
            "water",
            "{unit}",
            "Pipe leak under the kitchen sink.",
            "Valve closed, joint replaced.",
            "Fixed",
            "",
            0,
        ),
        ("lift", "2号楼 电梯", "电梯停层不准。", "通知维保单位，暂停使用。", "维保已修复", "", 0),
        (
            "hvac",
            "会所",
            "Clubhouse AC not cooling.",
            "Reset the unit, cleaned filter.",
            "Working",
            "",
            0,
        ),
        (
            "fire_system",
            "水泵房",
            "消防泵控制柜故障灯亮。",
            "检查后复位，通知维保。",
            "运行正常",
            "",
            0,
        ),
        ("other", "地下车库", "Drain blocked, water pooling.", "Cleared the drain.", "Dry", "", 0),
    ],
    "service": [
        (
            "complaint",
            "客服中心",
            "{unit}业主投诉保洁不到位。",
            "安排保洁返工，回访业主。",
            "业主满意",
            "",
            1,
        ),
        (
            "facility",
            "儿童游乐区",
            "Swing chain broken.",
            "Swing taped off, repair requested.",
            "Repair ordered",
            "",
            0,
        ),
        (
            "neighbours",
            "{unit}",
            "邻里因装修噪音发生矛盾。",
            "上门调解，约定施工时间。",
            "已调解",
            "两户业主",
            2,
        ),
        (
            "other",
            "会所",
            "Wallet found in the clubhouse.",
            "Logged and kept at the desk.",
            "Owner collected",
            "",
            0,
        ),
    ],
}

# Major incidents (CS6): with notifications and a signed written report.
_MAJOR: dict[str, list[tuple[str, str, str, str, str, str]]] = {
    "security": [
        (
            "fire",
            "2号楼 / B1 垃圾房",
            "垃圾房起火，火警报警。",
            "使用灭火器扑救，疏散人员，拨打119。",
            "明火已扑灭，无人员受伤",
            "fire",
        ),
        (
            "theft",
            "地下车库",
            "Car window smashed and bag stolen.",
            "Police called, CCTV saved.",
            "Police took the case",
            "police",
        ),
        ("medical", "1号楼大堂", "住户突发晕倒。", "拨打120，现场急救。", "已送医", "ambulance"),
    ],
    "engineering": [
        (
            "lift",
            "1号楼 电梯",
            "电梯困人，2人被困。",
            "安抚被困人员，通知维保单位救援。",
            "25分钟后救出，无人受伤",
            "captain",
        ),
        (
            "power",
            "配电房",
            "Mains power failure, generator started.",
            "Switched essential loads to the generator.",
            "Mains back after 2 h",
            "captain",
        ),
        ("water", "2号楼 / B2", "地下室水管爆裂。", "关闭总阀，抽水。", "已修复", "captain"),
    ],
    "service": [
        (
            "complaint",
            "客服中心",
            "业主聚集投诉停车收费。",
            "接待解释，上报主管。",
            "已疏导，次日答复",
            "captain",
        ),
    ],
}

_REPAIRS = [
    ("{unit}", "卫生间漏水 / Bathroom leak", "更换密封圈 / Seal replaced"),
    ("{unit}", "入户门锁损坏", "更换锁芯"),
    ("1号楼 / 3F 走廊", "Corridor light out", "Tube replaced"),
    ("{unit}", "厨房下水堵塞", "疏通完毕"),
    ("会所", "Toilet flush broken", "Valve replaced"),
    ("{unit}", "空调不制冷 / AC not cooling", "加氟后正常"),
    ("2号楼 电梯厅", "对讲门禁无响应", "更换主板"),
]

_HANDOVER_NOTES = [
    "设备运行正常，无遗留问题。 / All equipment normal, nothing outstanding.",
    "对讲机已充电。 Radios charged.",
    "本班无异常。",
    "Note the water shut-off tomorrow 09:00–12:00.",
    "工具、钥匙已清点无误。",
]

_NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "Tom Lee", "Anna Schmidt", "赵敏", "黄磊"]


# --- where the demo lives ------------------------------------------------------------------


def demo_path() -> Path:
    """``demo.db`` beside the default site database (never the real site's file)."""
    return default_path().with_name("demo.db")


def _demo_state(settings: Any) -> Any:
    """True (a finished demo), "building" (a build cut short), or None (not the demo)."""
    return settings.get(DEMO_MARK) if isinstance(settings, dict) else None


def _existing_site(path: Path) -> tuple[str, Any] | None:
    """(name, demo state) of the site in the file at ``path``, or None if it holds none."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    db = open_database(str(path), migrate=False, create=False)
    try:
        if not db.table_exists(m.Site._meta.table_name):
            return None
        site = m.Site.select().first()
        return (site.name, _demo_state(site.settings)) if site else None
    finally:
        db.close()


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        p.unlink(missing_ok=True)


def _build_on_server(target: str, days: int, rebuild: bool, clock: Clock | None) -> str:
    """The demo on a PostgreSQL site server: built in a temporary SQLite file with the
    fast bulk loader, then moved in by :func:`dutydesk.transfer.transfer`."""
    import tempfile

    from dutydesk.transfer import transfer

    db = open_database(target)
    try:
        site = m.Site.select().first()
        found = (site.name, _demo_state(site.settings)) if site else None
    finally:
        db.close()
    if found is not None:
        if found[1] is True and not rebuild:
            return target
        # Signed records cannot be deleted from a server: a new demo needs a new database.
        raise ConfigError(
            N_("{path} holds the site {name}; build the demo into an empty database"),
            path=redact(target),
            name=found[0],
        )
    with tempfile.TemporaryDirectory(prefix="dutydesk-demo-") as folder:
        built = build_demo(str(Path(folder) / "demo.db"), days=days, clock=clock)
        report = transfer(built, target)
    if not report.ok:
        raise ConfigError(N_("The demo site could not be moved to {path}"), path=redact(target))
    return target


def build_demo(
    target: str | None, days: int = 30, rebuild: bool = False, clock: Clock | None = None
) -> str:
    """Build the demo site at ``target`` (default: :func:`demo_path`) and return its path.

    A file already holding the demo is reused unless ``rebuild``; a file holding
    another site is refused (even with ``rebuild``: a real site is never thrown away).
    A ``postgresql://`` target gets the demo built in a temporary file and moved in.
    """
    if target and is_postgres_target(target):
        return _build_on_server(target, days, rebuild, clock)
    path = Path(sqlite_path_of(target)).expanduser() if target else demo_path()
    if str(path) == ":memory:":
        raise ConfigError(N_("The demo site needs a database file, not {path}"), path=str(path))
    found = _existing_site(path)
    if found is not None:
        name, state = found
        if not state:
            raise ConfigError(
                N_("{path} holds the site {name}, not the demo; choose another file with --db"),
                path=str(path),
                name=name,
            )
        if state is True and not rebuild:
            return str(path)
        # A demo whose build was cut short is built again.
        rebuild = True
    if rebuild:
        _remove(path)
    if clock is None:
        clock = SystemClock(local_timezone())
    tz = clock.tz if clock.tz and clock.tz != "local" else local_timezone()
    check_timezone(tz)
    db = open_database(str(path))
    try:
        _Builder(db, tz, clock.now().to(tz), max(0, days)).build()
    finally:
        db.close()
    return str(path)


# --- the builder ----------------------------------------------------------------------------


def _ts(d: dt.datetime) -> str:
    """A naive UTC datetime as stored by UTCField (fixed width, sorts as text)."""
    return d.isoformat(" ", "microseconds")


def _utc(a: arrow.Arrow) -> dt.datetime:
    return a.to("UTC").naive


class _Bulk:
    """Rows of one model, queued and written in batches with one prepared INSERT.

    The statement is peewee's own one-row INSERT (so the SQL and its parameter
    style stay the database's), run with ``executemany``: building a many-row
    statement in Python costs ten times more than the database's work. Values
    are queued already in their stored form (instants as UTC text; JSON fields
    go through the field's ``db_value``).
    """

    def __init__(
        self,
        db: pw.Database,
        model: type[m.BaseModel],
        names: Sequence[str],
        first_id: int,
        size: int = 5000,
    ) -> None:
        self.db = db
        fields = [model._meta.fields[n] for n in ("id", *names)]
        self.sql, params = model.insert_many([tuple(None for _ in fields)], fields=fields).sql()
        # Peewee appends the defaults of the fields not named; keep them for every row.
        self.tail = tuple(params[len(fields) :])
        self.json = [i for i, f in enumerate(fields) if isinstance(f, JSONField)]
        self.size = size
        self.rows: list[tuple[Any, ...]] = []
        self.next_id = first_id
        self.count = 0
        self.parent: list[_Bulk] = []  # flushed first (triggers look at them)

    def add(self, *values: Any) -> int:
        """Queue one row; returns the id it will have."""
        rid = self.next_id
        self.next_id += 1
        row = (rid, *values, *self.tail)
        if self.json:
            cells = list(row)
            for i in self.json:
                cells[i] = JSONField().db_value(cells[i])
            row = tuple(cells)
        self.rows.append(row)
        if len(self.rows) >= self.size:
            self.flush()
        return rid

    def flush(self) -> None:
        for p in self.parent:
            p.flush()
        if self.rows:
            self.db.cursor().executemany(self.sql, self.rows)
            self.count += len(self.rows)
            self.rows = []


@dataclass
class _DeskPlan:
    id: int
    code: str
    kind: str
    specs: tuple[patterns.ShiftSpec, ...]
    templates: dict[str, int]
    rank: dict[str, int]  # order of each shift within a business date
    teams: list[list[int]]
    k_now: int = 0
    routes: list[tuple[int, str, str, float | None, str, int | None, list[tuple[int, _Point]]]] = (
        field(default_factory=list)
    )
    windows: list[patterns.ShiftWindow] = field(default_factory=list)
    starts: list[dt.datetime] = field(default_factory=list)
    ends: list[dt.datetime] = field(default_factory=list)
    signed: list[dt.datetime] = field(default_factory=list)  # when shift i was taken over


class _Builder:
    def __init__(self, db: pw.Database, tz: str, now: arrow.Arrow, days: int) -> None:
        self.db = db
        self.tz = tz
        self.now = now
        self.now_utc = _utc(now)
        self.days = days
        self.rng = random.Random(SEED)
        self.staff: dict[str, int] = {}
        self.names: dict[int, tuple[str, str]] = {}  # id -> (staff_no, name)
        self.desks: dict[str, _DeskPlan] = {}
        self.counts: dict[str, int] = {}
        self.head: tuple[int, str] = (0, audit.GENESIS)
        self.tools: dict[str, list[dict[str, Any]]] = {}

    # -- set-up: site, staff, checkpoints (audited) ----------------------------------------

    def build(self) -> None:
        today = self.now.date()
        first = today - dt.timedelta(days=self.days)
        current = {
            d.code: patterns.shift_at(patterns.preset(d.preset), self.now, self.tz) for d in DESKS
        }
        first = min([first, *(w.business_date for w in current.values() if w)])
        # The site "exists" from the day before its history starts.
        origin = patterns.wall_time(first - dt.timedelta(days=1), "10:00", self.tz)
        setup = FixedClock(origin, self.tz)
        self._setup(setup)
        for code, plan in self.desks.items():
            specs = plan.specs
            win = [
                w
                for w in patterns.windows_between(specs, first, today, self.tz)
                if w.end <= self.now
            ]
            cur = current[code]
            assert cur is not None  # every preset covers the whole day (SE-1)
            plan.windows = [*win, cur]
            plan.k_now = self._k(plan, cur)
        self._history(first, today)
        self._finale()

    def _setup(self, setup: FixedClock) -> None:
        actor = Actor(setup, None)
        create_site(
            actor,
            name=SITE_NAME,
            tz=self.tz,
            language="zh",
            desks=list(DESKS),
            supervisor_no="S01",
            supervisor_name="孙建国",
            supervisor_pin=DEMO_PIN,
            allow_trivial_pin=True,
        )
        now = setup.now()
        with write():
            boss = m.Staff.get(m.Staff.staff_no == "S01")
            # One slow hash for everyone: every demo PIN is the same 1234.
            pin_hash = boss.pin_hash
            desk_rows = {d.code: d for d in m.Desk.select()}
            site = m.Site.get()
            site.settings = {**(site.settings or {}), DEMO_MARK: BUILDING}
            site.save()
            by = Actor(setup, None, boss.id)
            audit.record(by, "site.settings", "site", site.id, new={DEMO_MARK: BUILDING})
            for no, name, role, home in STAFF:
                if no == "S01":
                    continue
                s = m.Staff.create(
                    staff_no=no,
                    name=name,
                    role=role,
                    pin_hash=pin_hash,
                    must_change_pin=False,
                    home_desk=desk_rows[home].id if home else None,
                    created_at=now,
                )
                audit.record(
                    by,
                    "staff.create",
                    "staff",
                    s.id,
                    new={"staff_no": no, "name": name, "role": role},
                )
            for s in m.Staff.select():
                self.staff[s.staff_no] = s.id
                self.names[s.id] = (s.staff_no, s.name)
            for code, d in desk_rows.items():
                templates = {
                    t.code: t.id
                    for t in m.ShiftTemplate.select().where(m.ShiftTemplate.desk == d.id)
                }
                specs = patterns.preset(d.preset)
                order = sorted(specs, key=lambda s: patterns.parse_hhmm(s.start))
                plan = _DeskPlan(
                    d.id,
                    code,
                    d.kind,
                    specs,
                    templates,
                    {s.code: i for i, s in enumerate(order)},
                    [[self.staff[n] for n in team] for team in TEAMS[code]],
                )
                self.desks[code] = plan
                self._checkpoints(Actor(setup, d.id, boss.id), plan)
                for name, qty in _TOOLS[code]:
                    m.ToolItem.create(desk=d.id, name=name, quantity=qty)
                self.tools[code] = [
                    {"name": n, "quantity": q} for n, q in sorted(_TOOLS[code], key=lambda t: t[0])
                ]
                audit.record(
                    Actor(setup, d.id, boss.id),
                    "tools.create",
                    "desk",
                    d.id,
                    new={"items": len(_TOOLS[code])},
                )
            for pos, (role, name, phone) in enumerate(_CONTACTS):
                m.Contact.create(role=role, name=name, phone=phone, position=pos)
            incidents.seed_categories(by)
            audit.record(by, "contacts.create", "contact", None, new={"contacts": len(_CONTACTS)})
            last = audit.head()
            assert last is not None
            self.head = (last.seq, last.hash)

    def _checkpoints(self, actor: Actor, plan: _DeskPlan) -> None:
        seen: dict[str, int] = {}
        for name, name_en, kind, interval, times, rounds, points in _ROUTES[plan.code]:
            stops = []
            for p in points:
                if p.code not in seen:
                    cp = m.Checkpoint.create(
                        desk=plan.id,
                        code=p.code,
                        name=p.name,
                        name_en=p.name_en,
                        area=p.area,
                        position=len(seen) + 1,
                        kind=p.kind,
                        expected_state=p.expected_state,
                        due_time=p.due_time,
                        unit=p.unit,
                        range_min=p.range_min,
                        range_max=p.range_max,
                        expected_count=p.expected_count,
                    )
                    seen[p.code] = cp.id
                    audit.record(
                        actor,
                        "checkpoint.create",
                        "checkpoint",
                        cp.id,
                        new={"code": p.code, "kind": p.kind},
                    )
                stops.append((seen[p.code], p))
            sched = m.PatrolSchedule.create(
                desk=plan.id,
                name=name,
                name_en=name_en,
                kind=kind,
                interval_hours=interval,
                times=times,
                rounds_per_shift=rounds,
            )
            for pos, (cp_id, _p) in enumerate(stops, start=1):
                m.RouteStop.create(schedule=sched.id, checkpoint=cp_id, position=pos)
            audit.record(
                actor,
                "patrol_schedule.create",
                "patrol_schedule",
                sched.id,
                new={"name": name, "kind": kind, "stops": len(stops)},
            )
            plan.routes.append((sched.id, name, kind, interval, times, rounds, stops))

    # -- the roster --------------------------------------------------------------------------

    def _k(self, plan: _DeskPlan, w: patterns.ShiftWindow) -> int:
        """The ordinal of a shift occurrence at its desk (consecutive shifts differ by 1)."""
        return w.business_date.toordinal() * len(plan.specs) + plan.rank[w.code]

    def _team(self, plan: _DeskPlan, w: patterns.ShiftWindow) -> list[int]:
        return plan.teams[(self._k(plan, w) - plan.k_now) % len(plan.teams)]

    # -- history, in bulk ----------------------------------------------------------------------

    def _bulks(self) -> dict[str, _Bulk]:
        def nxt(model: type[m.BaseModel]) -> int:
            return int(model.select(pw.fn.MAX(model.id)).scalar() or 0) + 1

        entry = ("desk", "shift", "author", "created_at")
        spec: dict[str, tuple[type[m.BaseModel], tuple[str, ...]]] = {
            "roster": (
                m.RosterEntry,
                ("template", "business_date", "staff", "source", "created_at"),
            ),
            "shift": (
                m.Shift,
                (
                    "desk",
                    "template",
                    "business_date",
                    "planned_start",
                    "planned_end",
                    "actual_start",
                    "actual_end",
                    "state",
                    "opened_by",
                    "open_reason",
                ),
            ),
            "round": (
                m.PatrolRound,
                (
                    "shift",
                    "schedule",
                    "due_at",
                    "tolerance_minutes",
                    "started_at",
                    "started_by",
                    "finished_at",
                    "state",
                    "skip_reason",
                ),
            ),
            "check": (
                m.PatrolCheck,
                (
                    "round",
                    "checkpoint",
                    "position",
                    "result",
                    "value",
                    "out_of_range",
                    "note",
                    "marked_at",
                    "marked_by",
                ),
            ),
            "log": (
                m.DutyLogEntry,
                (
                    *entry,
                    "kind",
                    "occurred_at",
                    "category",
                    "text",
                    "result",
                    "names",
                    "absent_from",
                    "absent_to",
                    "ref_type",
                    "ref_id",
                ),
            ),
            "phone": (m.PhoneCall, (*entry, "call_at", "caller", "number", "content", "action")),
            "visitor": (
                m.Visitor,
                (*entry, "name", "organisation", "purpose", "entered_room", "time_in", "time_out"),
            ),
            "key": (
                m.KeyLoan,
                (*entry, "key_name", "borrower", "out_at", "back_at", "returned_to"),
            ),
            "switching": (
                m.SwitchingOperation,
                (*entry, "what", "operator", "started_at", "finished_at"),
            ),
            "presence": (
                m.PresenceCheck,
                ("desk", "shift", "staff", "due_at", "confirmed_at", "missed"),
            ),
            "incident": (
                m.Incident,
                (
                    *entry,
                    "occurred_at",
                    "place",
                    "category",
                    "people_count",
                    "characteristics",
                    "description",
                    "actions",
                    "result",
                    "status",
                    "severity",
                    "closed_at",
                    "closed_by",
                    "report_due_at",
                ),
            ),
            "notification": (
                m.Notification,
                (
                    "incident",
                    "role",
                    "name",
                    "method",
                    "notified_at",
                    "reached",
                    "author",
                    "created_at",
                ),
            ),
            "report": (m.IncidentReport, ("incident", "author", "text", "created_at", "signed_at")),
            "repair": (
                m.RepairRequest,
                (
                    *entry,
                    "received_at",
                    "from_name",
                    "from_unit",
                    "from_phone",
                    "place",
                    "problem",
                    "status",
                    "action",
                    "reason",
                    "handled_at",
                    "handled_by",
                ),
            ),
            "item": (
                m.HandoverItem,
                (
                    "handover",
                    "kind",
                    "ref_type",
                    "ref_id",
                    "text",
                    "reason",
                    "acknowledged_at",
                    "acknowledged_by",
                    "carried_over",
                ),
            ),
            "signature": (
                m.Signature,
                (
                    "handover",
                    "report",
                    "staff",
                    "printed_name",
                    "staff_no",
                    "signed_at",
                    "meaning",
                    "content_hash",
                ),
            ),
            "handover": (
                m.Handover,
                (
                    "desk",
                    "outgoing_shift",
                    "incoming_shift",
                    "started_by",
                    "started_at",
                    "notes",
                    "state",
                    "content",
                    "content_hash",
                    "chain_head_seq",
                    "chain_head_hash",
                    "signed_at",
                    "incoming_staff",
                    "identified_at",
                    "read_back",
                    "checklist",
                ),
            ),
            "audit": (
                m.AuditEvent,
                (
                    "seq",
                    "at",
                    "desk",
                    "staff",
                    "staff_no",
                    "action",
                    "record_type",
                    "record_id",
                    "old",
                    "new",
                    "prev_hash",
                    "hash",
                ),
            ),
        }
        bulks = {k: _Bulk(self.db, model, names, nxt(model)) for k, (model, names) in spec.items()}
        # Triggers refuse items and signatures of an already signed handover,
        # so they go in before the handover rows they belong to.
        bulks["handover"].parent = [bulks["item"], bulks["signature"]]
        return bulks

    def _history(self, first: dt.date, today: dt.date) -> None:
        b = self._bulks()
        self.b = b
        origin = _ts(_utc(patterns.wall_time(first - dt.timedelta(days=1), "10:00", self.tz)))
        # Bulk build only: no fsync per commit. A crash mid-build leaves a demo to rebuild.
        self.db.execute_sql("PRAGMA synchronous=OFF")
        try:
            with write():
                # Rows go in table by table in batches; foreign keys are checked at commit.
                self.db.execute_sql("PRAGMA defer_foreign_keys=ON")
                for plan in self.desks.values():
                    day = first
                    while day <= today + dt.timedelta(days=7):
                        for spec in plan.specs:
                            w = patterns.ShiftWindow(spec.code, day, self.now, self.now)
                            for sid in self._team(plan, w):
                                b["roster"].add(
                                    plan.templates[spec.code], day.isoformat(), sid, "demo", origin
                                )
                        day += dt.timedelta(days=1)
                self._timeline()
                for bulk in b.values():
                    bulk.flush()
            # The F8 search index over what was just loaded.
            search.reindex_all()
        finally:
            self.db.execute_sql("PRAGMA synchronous=FULL")
        self.counts = {k: v.count for k, v in b.items()}

    def _timeline(self) -> None:
        """Every desk's shifts in time order, so handovers reach the audit chain in order.

        A handover waits in a heap until no later shift can produce an earlier one
        (signatures fall at most 13 minutes before a change of shift).
        """
        rng = self.rng
        order: list[tuple[dt.datetime, int, str, int]] = []
        for pos, plan in enumerate(self.desks.values()):
            plan.starts = [_utc(w.start) for w in plan.windows]
            plan.ends = [_utc(w.end) for w in plan.windows]
            # When each shift was taken over: around the change, never after "now".
            plan.signed = [plan.starts[0]]
            for start in plan.starts[1:]:
                t = start + dt.timedelta(minutes=rng.randint(-12, 6), seconds=rng.randint(0, 59))
                plan.signed.append(min(t, self.now_utc))
            order.extend((start, pos, plan.code, i) for i, start in enumerate(plan.starts))
        order.sort()
        pending: list[tuple[dt.datetime, int, tuple[Any, ...]]] = []
        previous: dict[str, dict[str, Any]] = {}
        for start, _pos, code, i in order:
            while pending and pending[0][0] < start - dt.timedelta(minutes=13):
                self._handover(*heapq.heappop(pending)[2])
            plan = self.desks[code]
            summary = self._shift_of(plan, i)
            if code in previous:
                item = (plan, previous[code], summary, plan.signed[i])
                heapq.heappush(pending, (plan.signed[i], len(pending) + 10 * i, item))
            previous[code] = summary
        while pending:
            self._handover(*heapq.heappop(pending)[2])

    def _shift_of(self, plan: _DeskPlan, i: int) -> dict[str, Any]:
        w = plan.windows[i]
        n = len(plan.windows)
        current = i == n - 1
        team = self._team(plan, w)
        a_start = plan.signed[i]
        a_end = None if current else plan.signed[i + 1]
        sid = self.b["shift"].add(
            plan.id,
            plan.templates[w.code],
            w.business_date.isoformat(),
            _ts(plan.starts[i]),
            _ts(plan.ends[i]),
            _ts(a_start),
            _ts(a_end) if a_end else None,
            "open" if current else "closed",
            team[0],
            "" if i else "示例站点的第一个班次 / The demo site's first shift",
        )
        relief = None
        if not current:
            relief = (plan.signed[i + 1], self._team(plan, plan.windows[i + 1])[0])
        return self._shift(
            plan, sid, i, team, a_start, a_end or self.now_utc, current, i == n - 2, relief
        )

    def _log(
        self,
        summary: dict[str, Any],
        t: dt.datetime,
        kind: str,
        text: str,
        result: str = "",
        category: str = "",
        names: str = "",
        absent: tuple[dt.datetime, dt.datetime] | None = None,
        ref: tuple[str, int | None] = ("", None),
    ) -> None:
        """One duty-log entry (CS3), also listed in the shift's handover record."""
        person = summary["team"][0]
        eid = self.b["log"].add(
            summary["desk"],
            summary["shift"],
            person,
            _ts(t),
            kind,
            _ts(t),
            category,
            text,
            result,
            names,
            _ts(absent[0]) if absent else None,
            _ts(absent[1]) if absent else None,
            ref[0],
            ref[1],
        )
        summary["duty"].append(
            {
                "id": eid,
                "at": _iso(t),
                "kind": kind,
                "text": text,
                "result": result,
                "by": self.names[person][0],
            }
        )

    def _hhmm(self, t: dt.datetime) -> str:
        return arrow.get(t, tzinfo="UTC").to(self.tz).format("HH:mm")

    def _shift(
        self,
        plan: _DeskPlan,
        sid: int,
        i: int,
        team: list[int],
        a_start: dt.datetime,
        a_end: dt.datetime,
        current: bool,
        last_past: bool,
        relief: tuple[dt.datetime, int] | None,
    ) -> dict[str, Any]:
        """Everything that happened on one shift; returns what its handover reports."""
        rng, b = self.rng, self.b
        w = plan.windows[i]
        ws, we = plan.starts[i], plan.ends[i]
        person = team[0]
        kind = plan.kind
        spec = next(x for x in plan.specs if x.code == w.code)
        summary: dict[str, Any] = {
            "desk": plan.id,
            "shift": sid,
            "team": team,
            "info": {
                "id": sid,
                "code": w.code,
                "name_zh": spec.name_zh,
                "name_en": spec.name_en,
                "business_date": w.business_date.isoformat(),
                "planned_start": _iso(ws),
                "planned_end": _iso(we),
            },
            "duty": [],
            "rounds": [],
            "readings": [],
            "open": [],  # (kind, ref_type, ref_id, text, reason): open records at the end
            "patrol_items": [],  # missed and skipped rounds, readings out of range
        }
        span = (a_end - a_start).total_seconds()

        def at() -> dt.datetime:
            return a_start + dt.timedelta(seconds=rng.uniform(0.05, 0.95) * span)

        def fill(text: str) -> str:
            return text.format(
                unit=rng.choice(_UNITS), n=rng.randint(2, 9), plate=f"{rng.randint(10000, 99999)}"
            )

        self._rounds(plan, sid, w, ws, we, a_start, person, current, summary)
        if current:
            t = a_start + dt.timedelta(minutes=5)
            if t <= self.now_utc:
                self._log(
                    summary, t, "duty", "接班，设备、工具清点无误。 / Took over; tools checked."
                )
            return summary
        # Duty log (CS3), with the odd discipline note (SG-3) and absence (CS7).
        for _ in range(rng.randint(1, 3)):
            self._log(
                summary,
                at(),
                "duty",
                fill(rng.choice(_LOG[kind])),
                rng.choice(("", "已处理 / Done")),
            )
        r = rng.random()
        if kind == "security" and r < 0.03:
            self._log(
                summary,
                at(),
                "discipline",
                "员工未穿工作服进场 / Staff not in work clothes",
                "已提醒 / Reminded",
                names=rng.choice(("保洁 刘某", "绿化 陈某", "维修 王某")),
            )
        elif r < 0.04:
            t = at()
            back = min(t + dt.timedelta(minutes=rng.randint(5, 25)), a_end)
            self._log(
                summary,
                t,
                "absence",
                "离岗协助处理车库积水 / Left the desk to help in the car park",
                absent=(t, back),
            )
        # Phone record (CS5-2.6) and visitors (SG-2, SG-4, EN-8.3.6).
        for _ in range(_poisson(rng, {"security": 0.7, "engineering": 0.5, "service": 1.5}[kind])):
            t = at()
            caller, content, action = rng.choice(_PHONE)
            b["phone"].add(
                plan.id,
                sid,
                person,
                _ts(t),
                _ts(t),
                fill(caller),
                f"139{rng.randint(10000000, 99999999)}",
                content,
                action,
            )
        lam = {
            "security": 0.3 if w.code == "night" else 1.5,
            "engineering": 0.15,
            "service": 0.5,
        }[kind]
        for _ in range(_poisson(rng, lam)):
            t = at()
            name, org, purpose = rng.choice(_VISITORS)
            out = min(t + dt.timedelta(minutes=rng.randint(10, 120)), a_end)
            b["visitor"].add(
                plan.id,
                sid,
                person,
                _ts(t),
                name,
                org,
                fill(purpose),
                kind == "engineering",
                _ts(t),
                _ts(out),
            )
        if kind == "security" and rng.random() < 0.3:
            t = at()
            back = min(t + dt.timedelta(minutes=rng.randint(10, 90)), a_end)
            b["key"].add(
                plan.id,
                sid,
                person,
                _ts(t),
                "3号楼设备间钥匙 / Building 3 plant-room key",
                rng.choice(("保洁 刘阿姨", "维修 王工", "绿化 陈师傅")),
                _ts(t),
                _ts(back),
                person,
            )
        if kind == "engineering" and rng.random() < 0.05:
            t = at()
            b["switching"].add(
                plan.id,
                sid,
                person,
                _ts(t),
                "2号变压器停电检修，负荷转1号变 / Transformer 2 out for service",
                self.names[person][1],
                _ts(t),
                _ts(min(t + dt.timedelta(minutes=40), a_end)),
            )
        if kind == "security" and w.code == "night":
            due = ws + dt.timedelta(hours=1)
            while due < we:  # night presence checks (SG-1, SG-5)
                missed = rng.random() < 0.02
                ok = None if missed else _ts(due + dt.timedelta(seconds=rng.randint(5, 240)))
                b["presence"].add(plan.id, sid, person, _ts(due), ok, missed)
                due += dt.timedelta(hours=1)
        # Incidents (SE-4, CS6): about 50 000 in ten years over the three desks.
        lam = {"security": 2.3, "engineering": 2.0, "service": 1.4}[kind]
        for _ in range(_poisson(rng, lam)):
            self._incident(plan, summary, at(), a_end, fill)
        # Repair requests (EN-8.3.2) at the engineering and service desks.
        if kind != "security":
            for _ in range(_poisson(rng, 1.0 if kind == "engineering" else 0.6)):
                self._repair(plan, summary, at(), a_end, relief, fill)
        if last_past:
            self._left_open(plan, summary, a_start, a_end)
        return summary

    def _repair(
        self,
        plan: _DeskPlan,
        summary: dict[str, Any],
        t: dt.datetime,
        a_end: dt.datetime,
        relief: tuple[dt.datetime, int] | None,
        fill: Callable[[str], str],
    ) -> None:
        """A repair request: handled on the shift, or not (with the reason) and then
        handled by the next shift after it was carried over (EN-8.3.2, CS-R6)."""
        rng = self.rng
        person = summary["team"][0]
        place, problem, action = rng.choice(_REPAIRS)
        place = fill(place)
        reason = ""
        status = "handled"
        done_at: dt.datetime | None = min(t + dt.timedelta(minutes=rng.randint(20, 150)), a_end)
        done_by: int | None = person
        if rng.random() < 0.1:
            reason = "缺少配件，已申请采购 / Parts on order"
            later = relief[0] + dt.timedelta(minutes=rng.randint(20, 120)) if relief else None
            if later is not None and relief is not None and later <= self.now_utc:
                done_at, done_by = later, relief[1]
            else:
                status, action, done_at, done_by = "not_handled", "", None, None
        rid = self.b["repair"].add(
            plan.id,
            summary["shift"],
            person,
            _ts(t),
            _ts(t),
            rng.choice(_NAMES),
            rng.choice(_UNITS),
            f"138{rng.randint(10000000, 99999999)}",
            place,
            problem,
            status,
            action,
            reason,
            _ts(done_at) if done_at else None,
            done_by,
        )
        if reason:
            text = f"{self._hhmm(t)} {place} — {problem}".replace("  ", " ")
            summary["open"].append(("repair", "repair_request", rid, text, reason))

    def _left_open(
        self, plan: _DeskPlan, summary: dict[str, Any], a_start: dt.datetime, a_end: dt.datetime
    ) -> None:
        """What the last finished shift hands on: one open item at two desks (CS-R6)."""
        b = self.b
        person = summary["team"][0]
        sid = summary["shift"]
        t = a_start + (a_end - a_start) / 2
        if plan.kind == "security":
            text = "3号楼东侧路灯不亮，已报工程部 / Street light east of Building 3 out"
            place = "3号楼东侧"
            iid = b["incident"].add(
                plan.id,
                sid,
                person,
                _ts(t),
                _ts(t),
                place,
                "damage",
                0,
                "",
                text,
                "已设置警示 / Warning sign put up",
                "",
                "open",
                "normal",
                None,
                None,
                None,
            )
            self._log(summary, t, "incident", text, category="damage", ref=("incident", iid))
            summary["open"].append(
                (
                    "incident",
                    "incident",
                    iid,
                    f"{self._hhmm(t)} {place} — {text}",
                    "等待工程部维修 / Waiting for engineering",
                )
            )
        elif plan.kind == "engineering":
            text = "卫生间漏水 / Bathroom leak"
            rid = b["repair"].add(
                plan.id,
                sid,
                person,
                _ts(t),
                _ts(t),
                "张伟",
                "2-1502",
                "13800001502",
                "2-1502",
                text,
                "open",
                "",
                "",
                None,
                None,
            )
            summary["open"].append(
                (
                    "repair",
                    "repair_request",
                    rid,
                    f"{self._hhmm(t)} 2-1502 — {text}",
                    "住户明早在家，约定上门 / Resident home tomorrow morning",
                )
            )

    def _incident(
        self,
        plan: _DeskPlan,
        summary: dict[str, Any],
        t: dt.datetime,
        a_end: dt.datetime,
        fill: Callable[[str], str],
    ) -> None:
        rng, b = self.rng, self.b
        kind = plan.kind
        sid, person = summary["shift"], summary["team"][0]
        closed = min(t + dt.timedelta(minutes=rng.randint(10, 180)), a_end)
        closed = max(closed, t + dt.timedelta(seconds=30))
        if rng.random() < 0.015:
            cat, place, desc, actions, result, service = rng.choice(_MAJOR[kind])
            due = _utc(incidents.report_due_at(arrow.get(t, tzinfo="UTC"), self.tz))
            iid = b["incident"].add(
                plan.id,
                sid,
                person,
                _ts(t),
                _ts(t),
                place,
                cat,
                rng.randint(1, 3),
                "",
                desc,
                actions,
                result,
                "resolved",
                "major",
                _ts(closed),
                person,
                _ts(due),
            )
            # A major incident reaches someone at leader level or above (CS6, CS-R3).
            boss = self.staff["L01"] if kind == "security" else self.staff["S01"]
            role = "leader" if kind == "security" else "supervisor"
            told = t + dt.timedelta(minutes=rng.randint(2, 9))
            b["notification"].add(
                iid, role, self.names[boss][1], "phone", _ts(told), True, person, _ts(told)
            )
            if service in ("fire", "police", "ambulance"):
                number = {"fire": "119", "police": "110", "ambulance": "120"}[service]
                call = t + dt.timedelta(minutes=1)
                b["notification"].add(
                    iid, service, number, "phone", _ts(call), True, person, _ts(call)
                )
            self._report(iid, person, t, due, place, desc, actions, result)
        else:
            cat, place, desc, actions, result, chars, people = rng.choice(_INCIDENTS[kind])
            desc = fill(desc)
            iid = b["incident"].add(
                plan.id,
                sid,
                person,
                _ts(t),
                _ts(t),
                fill(place),
                cat,
                people,
                fill(chars),
                desc,
                actions,
                result,
                "resolved",
                "normal",
                _ts(closed),
                person,
                None,
            )
        # A saved incident also lands in the duty log, linked (SE-4).
        self._log(summary, t, "incident", desc, result, category=cat, ref=("incident", iid))

    def _report(
        self,
        iid: int,
        person: int,
        t: dt.datetime,
        due: dt.datetime,
        place: str,
        desc: str,
        actions: str,
        result: str,
    ) -> None:
        """The signed written report of a major incident, filed the next day (CS6)."""
        rng, b = self.rng, self.b
        written = due - dt.timedelta(hours=rng.randint(6, 14))
        if written > self.now_utc:
            return  # not written yet: the demo shows a report still due
        no, name = self.names[person]
        text = (
            f"事件报告 / Incident report\n时间 Time: {self._hhmm(t)}\n地点 Place: {place}\n"
            f"经过 What happened: {desc}\n处理 Actions: {actions}\n结果 Result: {result}"
        )
        rid = b["report"].add(iid, person, text, _ts(written), _ts(written))
        # The incident area defines what a report's signature covers.
        row = m.IncidentReport(
            id=rid,
            incident=iid,
            author=person,
            text=text,
            created_at=arrow.get(written, tzinfo="UTC"),
            signed_at=arrow.get(written, tzinfo="UTC"),
        )
        digest = canonical.sha256(incidents.report_content(row))
        b["signature"].add(
            None, rid, person, name, no, _ts(written), incidents.REPORT_MEANING, digest
        )

    # -- patrol rounds (SE-3, SG-6, EN-8.3.3) --------------------------------------------------

    def _dues(
        self,
        w: patterns.ShiftWindow,
        ws: dt.datetime,
        we: dt.datetime,
        kind: str,
        interval: float | None,
        times: str,
        rounds: int | None,
    ) -> list[dt.datetime]:
        if kind == "interval" and interval:
            out, due = [], ws + dt.timedelta(minutes=30)
            while due < we:
                out.append(due)
                due += dt.timedelta(hours=interval)
            return out
        if kind == "irregular" and rounds:
            lo, hi = ws + dt.timedelta(minutes=20), we - dt.timedelta(minutes=40)
            span = max((hi - lo).total_seconds(), 0.0)
            return sorted(
                lo + dt.timedelta(seconds=int(self.rng.random() * span)) for _ in range(rounds)
            )
        out = []
        for hhmm in filter(None, times.split(",")):
            for day in (w.business_date, w.business_date + dt.timedelta(days=1)):
                due = _utc(patterns.wall_time(day, hhmm.strip(), self.tz))
                if ws <= due < we:
                    out.append(due)
        return out

    def _rounds(
        self,
        plan: _DeskPlan,
        sid: int,
        w: patterns.ShiftWindow,
        ws: dt.datetime,
        we: dt.datetime,
        a_start: dt.datetime,
        person: int,
        current: bool,
        summary: dict[str, Any],
    ) -> None:
        rng, b = self.rng, self.b
        rounds, checks = b["round"], b["check"]
        day_index = w.business_date.toordinal()
        sections: list[tuple[dt.datetime, int, dict[str, Any]]] = []
        readings: list[tuple[int, int, dict[str, Any]]] = []
        items: list[tuple[dt.datetime, int, tuple[Any, ...]]] = []
        for sched_id, name, kind, interval, times, per_shift, stops in plan.routes:
            for due in self._dues(w, ws, we, kind, interval, times, per_shift):
                r = rng.random()
                if r < 0.925:
                    state, start = "done", due + dt.timedelta(minutes=rng.uniform(-10, 10))
                elif r < 0.965:
                    state, start = "done_late", due + dt.timedelta(minutes=rng.uniform(16, 50))
                else:
                    state, start = ("skipped" if r < 0.98 else "missed"), None
                marks: list[dt.datetime] = []
                if start is not None:
                    t = max(start, a_start)
                    for _ in stops:
                        t += dt.timedelta(seconds=rng.randint(40, 150))
                        marks.append(t)
                    finish = t + dt.timedelta(seconds=30)
                if current and (start is None or finish > self.now_utc):
                    state, start = "upcoming", None  # still to walk (or being walked)
                section: dict[str, Any] = {
                    "name": name,
                    "due_at": _iso(due),
                    "state": state,
                    "reason": "",
                    "skipped": [],
                    "missed": [],
                }
                if start is None:
                    reason = rng.choice(_SKIP_ROUND) if state == "skipped" else ""
                    rid = rounds.add(sid, sched_id, _ts(due), 15, None, None, None, state, reason)
                    for pos, (cp_id, _p) in enumerate(stops, start=1):
                        checks.add(rid, cp_id, pos, None, None, False, "", None, None)
                    section.update(id=rid, reason=reason)
                    if state == "missed":
                        section["missed"] = [p.name for _cp, p in stops]
                    if state in ("missed", "skipped"):
                        text = f"{name} {self._hhmm(due)}".strip()
                        item = (f"patrol_{state}", "patrol_round", rid, text, reason)
                        items.append((due, rid, item))
                    sections.append((due, rid, section))
                    continue
                rid = rounds.add(
                    sid, sched_id, _ts(due), 15, _ts(start), person, _ts(finish), state, ""
                )
                section["id"] = rid
                for pos, ((cp_id, p), mark) in enumerate(zip(stops, marks, strict=True), start=1):
                    result, value, oor, note = self._check(p, mark, day_index)
                    cid = checks.add(rid, cp_id, pos, result, value, oor, note, _ts(mark), person)
                    if result == "skipped":
                        section["skipped"].append({"checkpoint": p.name, "note": note})
                    if oor:
                        text = _reading_text(p, value)
                        readings.append(
                            (rid, pos, {"id": cid, "text": text, "at": _iso(mark), "note": note})
                        )
                sections.append((due, rid, section))
        sections.sort(key=lambda x: (x[0], x[1]))
        readings.sort(key=lambda x: (x[0], x[1]))
        items.sort(key=lambda x: (x[0], x[1]))
        summary["rounds"] = [x[2] for x in sections]
        summary["readings"] = [x[2] for x in readings]
        # What the handover lists after the open records (handover._sources' order).
        summary["patrol_items"] = [x[2] for x in items] + [
            ("reading", "patrol_check", r["id"], r["text"], r["note"]) for r in summary["readings"]
        ]

    def _check(
        self, p: _Point, mark: dt.datetime, day_index: int
    ) -> tuple[str, float | None, bool, str]:
        """(result, value, out of range, note) of one check."""
        rng = self.rng
        x = rng.random()
        if x < 0.005:
            return "skipped", None, False, rng.choice(_SKIP_CHECK)
        if p.kind == "reading":
            value = _reading(rng, p.code, mark, day_index)
            low = p.range_min if p.range_min is not None else -math.inf
            high = p.range_max if p.range_max is not None else math.inf
            oor = not low <= value <= high
            note = _OUT_OF_RANGE if oor else ""
            return "reading", value, oor, note
        if p.kind == "count":
            expected = p.expected_count or 0
            if x > 0.995:
                return "problem", float(expected - 1), False, _MISSING_ONE
            return "ok", float(expected), False, ""
        if x > 0.99:
            if p.kind == "switch":
                return "problem", None, False, "开关状态异常，已复位 / Wrong state, reset"
            return "problem", None, False, rng.choice(_PROBLEM)
        return "ok", None, False, ""

    # -- handovers (EN-8.5, EN-8.6) -----------------------------------------------------------

    def _handover(
        self, plan: _DeskPlan, out: dict[str, Any], inc: dict[str, Any], signed: dt.datetime
    ) -> None:
        """The signed two-party handover from shift ``out`` to shift ``inc``.

        Its content is what :mod:`dutydesk.domain.handover` signs: the record part
        (rebuilt by ``record_part`` from the rows, so ``dutydesk verify`` checks it)
        and the context; its ``handover.sign`` event goes on the audit chain, whose
        head before it is the one the record shows.
        """
        rng, b = self.rng, self.b
        giver, taker = out["team"][0], inc["team"][0]
        started = signed - dt.timedelta(minutes=rng.randint(10, 20))
        identified = signed - dt.timedelta(minutes=rng.randint(4, 8))
        notes = rng.choice(_HANDOVER_NOTES)
        hid = b["handover"].next_id
        checklist = {key: {"ok": True, "note": ""} for key in handovers.CHECK_KEYS}
        items = []
        ack = identified
        for kind, ref_type, ref_id, text, reason in out["open"] + out["patrol_items"]:
            ack += dt.timedelta(seconds=rng.randint(5, 20))
            carried = kind in handovers.CARRY_KINDS
            iid = b["item"].add(hid, kind, ref_type, ref_id, text, reason, _ts(ack), taker, carried)
            items.append(
                {
                    "id": iid,
                    "kind": kind,
                    "ref_type": ref_type,
                    "ref_id": ref_id,
                    "text": text,
                    "reason": reason,
                    "acknowledged_at": _iso(ack),
                    "acknowledged_by": taker,
                    "carried_over": carried,
                    "resolved_at": None,
                }
            )
        signatures = []
        for who, meaning in ((giver, handovers.MEANING_OUT), (taker, handovers.MEANING_IN)):
            no, name = self.names[who]
            signatures.append(
                {
                    "staff": who,
                    "staff_no": no,
                    "printed_name": name,
                    "meaning": meaning,
                    "signed_at": _iso(signed),
                }
            )
        read_back = sum(1 for it in items if it["carried_over"])
        record = {
            "format": handovers.FORMAT,
            "handover_id": hid,
            "desk_id": plan.id,
            "outgoing_shift_id": out["shift"],
            "incoming_shift_id": inc["shift"],
            "started_by": giver,
            "started_at": _iso(started),
            "early_reason": "",
            "notes": notes,
            "incoming_staff": taker,
            "identified_at": _iso(identified),
            "checklist": checklist,
            "read_back": read_back,
            "signed_at": _iso(signed),
            "chain_head": {"seq": self.head[0], "hash": self.head[1]},
            "items": items,
            "signatures": signatures,
        }
        signers = {giver, taker}
        desk = next(d for d in DESKS if d.code == plan.code)
        # The shift's record in the shape the handover signs (no key is out at the end).
        sections = handovers.HandoverSections.from_plain(
            {
                "duty_log": out["duty"],
                "patrol": out["rounds"],
                "readings": out["readings"],
                "tools": self.tools[plan.code],
            }
        )

        def person(p: int) -> dict[str, str]:
            return {"staff_no": self.names[p][0], "name": self.names[p][1]}

        context = {
            "site": SITE_NAME,
            "site_tz": self.tz,
            "desk": {
                "code": desk.code,
                "name": desk.name,
                "name_en": desk.name_en,
                "location": desk.location,
            },
            "outgoing_shift": out["info"],
            "incoming_shift": inc["info"],
            "people": {str(p): person(p) for p in signers},
            "teams": {
                side: [
                    person(p)
                    for p in sorted(part["team"], key=lambda p: self.names[p][0])
                    if p not in signers
                ]
                for side, part in (("outgoing", out), ("incoming", inc))
            },
            "sections": sections.to_plain(),
        }
        content = handovers.content_of(record, context)
        digest = canonical.sha256(content)
        for sig in signatures:
            b["signature"].add(
                hid,
                None,
                sig["staff"],
                sig["printed_name"],
                sig["staff_no"],
                _ts(signed),
                sig["meaning"],
                digest,
            )
        b["handover"].add(
            plan.id,
            out["shift"],
            inc["shift"],
            giver,
            _ts(started),
            notes,
            "signed",
            content,
            digest,
            self.head[0],
            self.head[1],
            _ts(signed),
            taker,
            _ts(identified),
            read_back,
            checklist,
        )
        new = {
            "content_hash": digest,
            "chain_head": f"{self.head[0]}:{self.head[1]}",
            "incoming_shift": inc["shift"],
        }
        self._event(signed, plan.id, taker, "handover.sign", "handover", hid, new)

    def _event(
        self,
        at: dt.datetime,
        desk_id: int | None,
        staff_id: int | None,
        action: str,
        record_type: str,
        record_id: int | None,
        new: dict[str, Any],
    ) -> None:
        """Append one audit event in bulk, hashed exactly as :func:`audit.record` does
        (with its own :func:`audit.event_body` and :func:`audit.chain_hash`)."""
        seq, prev = self.head[0] + 1, self.head[1]
        when = arrow.get(at, tzinfo="UTC")
        body = audit.event_body(
            seq, when, desk_id, staff_id, "", action, record_type, record_id, None, new
        )
        digest = audit.chain_hash(prev, body)
        self.b["audit"].add(
            seq,
            _ts(at),
            desk_id,
            staff_id,
            "",
            action,
            record_type,
            record_id,
            None,
            new,
            prev,
            digest,
        )
        self.head = (seq, digest)

    def _finale(self) -> None:
        """The build is finished: the site is marked as the demo's (audited)."""
        with write():
            boss = Actor(FixedClock(self.now, self.tz), None, self.staff["S01"])
            site = m.Site.get()
            site.settings = {**(site.settings or {}), DEMO_MARK: True}
            site.save()
            audit.record(boss, "site.settings", "site", site.id, new={DEMO_MARK: True})
            rows = {"days": self.days, "rows": self.counts}
            audit.record(boss, "demo.build", "site", site.id, new=rows)
        self._holiday(boss)

    def _holiday(self, boss: Actor) -> None:
        """A holiday three days ahead on which the booth wants two guards per shift (CS9),
        so the roster's under-staffing warning can be seen on the demo."""
        from dutydesk.domain import holidays, roster

        day = self.now.to(self.tz).date() + dt.timedelta(days=3)
        holidays.add_holiday(boss, day, "演示节假日 Demo holiday")
        security = self.desks["security"]
        for code in security.templates:
            roster.set_required_staff(boss, security.id, code, required=1, holiday_required=2)


def _reading_text(p: _Point, value: float | None) -> str:
    """A reading as the handover record shows it: "name: value unit (min–max)"."""
    shown = "" if value is None else f"{value:g}"
    lo = "" if p.range_min is None else f"{p.range_min:g}"
    hi = "" if p.range_max is None else f"{p.range_max:g}"
    return f"{p.name}: {shown} {p.unit} ({lo}–{hi})".replace("  ", " ")


def _iso(d: dt.datetime) -> str:
    """A naive UTC datetime in canonical form (as :func:`canonical.instant`)."""
    return d.isoformat("T", "microseconds") + "Z"


def _poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method; fine for the small rates used here."""
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _reading(rng: random.Random, code: str, mark: dt.datetime, day_index: int) -> float:
    """A plausible reading, now and then out of its normal range (EN-8.3.4)."""
    odd = rng.random() < 0.004
    hour = mark.hour + mark.minute / 60
    if code == "TX-TEMP":
        v = (
            rng.uniform(86, 95)
            if odd
            else 55 + 8 * math.sin(hour / 24 * 2 * math.pi) + rng.gauss(0, 3)
        )
        return round(v, 1)
    if code == "SUPPLY-V":
        v = rng.choice((rng.uniform(345, 352), rng.uniform(408, 415))) if odd else rng.gauss(381, 4)
        return round(v, 1)
    if code == "PUMP-P":
        v = rng.choice((0.26, 0.64)) if odd else min(0.58, max(0.32, rng.gauss(0.45, 0.04)))
        return round(v, 2)
    if code == "GEN-FUEL":
        # Used slowly by test runs and refilled every 150 days; just before a refill it
        # drops under 30 % and is flagged.
        return round(98 - (day_index % 150) * 0.47 + rng.gauss(0, 0.3), 1)
    if code == "CHILLER-OUT":
        v = rng.uniform(12.5, 14) if odd else min(11.5, max(5.5, rng.gauss(7.5, 0.8)))
        return round(v, 1)
    return round(rng.gauss(50, 5), 1)
