"""The demo site's data: desks, people, teams, checkpoints and routes, and the
pools of text (mixed Chinese and English, as a real site writes) that the
builder draws its history from.

Longer than ~600 lines on purpose: it is data, not logic.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dutydesk.domain.checkpoints import CheckpointSpec
from dutydesk.domain.site import DeskSpec

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


# One checkpoint of the demo: what a supervisor would type for it.
Point = CheckpointSpec


def point(code: str, name: str, name_en: str, area: str, kind: str, **details: Any) -> Point:
    """A checkpoint as the tables below give it: code, names, area and kind first."""
    return CheckpointSpec(code=code, name=name, kind=kind, name_en=name_en, area=area, **details)


def _floors_switches(building: str, building_en: str, floors: Iterable[str]) -> list[Point]:
    """Water and power switches on each floor (SG-6, SG-10)."""
    out = []
    for fl in floors:
        tag = f"{building_en[0]}{building_en[-1]}-{fl}"
        out.append(
            point(
                f"SW-{tag}-W",
                f"{building}{fl}水阀",
                f"{building_en} {fl} water valve",
                f"{building} / {fl}",
                "switch",
                expected_state="on",
            )
        )
        out.append(
            point(
                f"SW-{tag}-P",
                f"{building}{fl}电源开关",
                f"{building_en} {fl} power switch",
                f"{building} / {fl}",
                "switch",
                expected_state="on",
            )
        )
    return out


def _fire(building: str, building_en: str, fl: str) -> Point:
    """Fire extinguishers expected present on a floor (SG-10)."""
    tag = f"{building_en[0]}{building_en[-1]}-{fl}"
    return point(
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
ROUTES: dict[str, list[tuple[str, str, str, float | None, str, int | None, list[Point]]]] = {
    "security": [
        (
            "定时巡查",
            "Scheduled patrol",
            "interval",
            2.0,
            "",
            None,
            [
                point("GATE-S", "南门岗亭及道闸", "South gate and barrier", "南门", "condition"),
                point("GATE-N", "北门人行通道", "North pedestrian gate", "北门", "condition"),
                point("PARK-B1", "地下车库", "Underground car park", "地下车库 / B1", "condition"),
                point(
                    "WIN-B1-1F",
                    "1号楼一层门窗",
                    "Building 1 ground-floor doors and windows",
                    "1号楼 / 1F",
                    "condition",
                ),
                point(
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
                point("PERIM-E", "东侧围墙", "East perimeter fence", "东区", "condition"),
                point("PERIM-W", "西侧围墙", "West perimeter fence", "西区", "condition"),
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
                point("WH-DOOR", "仓库门锁", "Warehouse door lock", "仓库 / B1", "condition"),
                point(
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
                point(
                    "TX-TEMP",
                    "1号变压器温度",
                    "Transformer 1 temperature",
                    "配电房 / B1",
                    "reading",
                    unit="°C",
                    range_min=0,
                    range_max=85,
                ),
                point(
                    "SUPPLY-V",
                    "低压进线电压",
                    "Supply voltage",
                    "配电房 / B1",
                    "reading",
                    unit="V",
                    range_min=353.4,
                    range_max=406.6,
                ),
                point(
                    "PUMP-P",
                    "生活水泵出口压力",
                    "Water-pump outlet pressure",
                    "水泵房 / B2",
                    "reading",
                    unit="MPa",
                    range_min=0.3,
                    range_max=0.6,
                ),
                point(
                    "GEN-FUEL",
                    "发电机油位",
                    "Generator fuel level",
                    "发电机房 / B1",
                    "reading",
                    unit="%",
                    range_min=30,
                    range_max=100,
                ),
                point(
                    "CHILLER-OUT",
                    "冷水机组出水温度",
                    "Chiller outlet temperature",
                    "空调机房 / B2",
                    "reading",
                    unit="°C",
                    range_min=5,
                    range_max=12,
                ),
                point(
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
                point("PUMP-ROOM", "水泵房", "Pump room", "水泵房 / B2", "condition"),
                point("GEN-ROOM", "发电机房", "Generator room", "发电机房 / B1", "condition"),
                point("LIFT-ROOM", "电梯机房", "Lift machine room", "1号楼 / 屋顶", "condition"),
                point("HVAC-ROOM", "空调机房", "Chiller plant room", "空调机房 / B2", "condition"),
                point(
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
                point("LOBBY-B1", "1号楼大堂", "Building 1 lobby", "1号楼 / 1F", "condition"),
                point("CLUB", "会所", "Clubhouse", "会所", "condition"),
                point("SALES", "销售中心", "Sales office", "销售中心", "condition"),
                point("BANK", "银行网点门前", "Bank branch frontage", "商业街", "condition"),
                point("GARDEN", "中心花园绿化", "Central garden greenery", "中心花园", "condition"),
                point("PLAY", "儿童游乐区", "Children's playground", "中心花园", "condition"),
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
                point(
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
                point(
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

TOOLS = {
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

CONTACTS = [
    ("supervisor", "孙建国 主管", "138 0000 0001"),
    ("captain", "李卫东 队长", "138 0000 0002"),
    ("duty_manager", "值班经理 Duty manager", "138 0000 0003"),
    ("hr", "人事部 HR", "021 5555 0100"),
    ("police", "报警 Police", "110"),
    ("fire", "火警 Fire", "119"),
    ("ambulance", "急救 Ambulance", "120"),
]

# --- text pools (mixed Chinese and English, as a real site writes) ------------------------

UNITS = [f"{b}-{f}{r:02d}" for b in (1, 2, 3, 5) for f in (2, 5, 8, 12, 15) for r in (1, 2)]

LOG = {
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

PHONE = [
    ("{unit}业主", "楼上噪音扰民，请求处理。", "已联系楼上住户，噪音停止。"),
    ("快递公司", "Asking for the gate code for a delivery.", "Told to register at the gate."),
    ("{unit} resident", "Water leaking from the ceiling.", "报工程部，已上门查看。"),
    ("{unit}业主", "询问停水时间。", "告知明日9:00–12:00停水检修。"),
    ("Duty manager", "Check that the north gate is locked at 23:00.", "Confirmed locked."),
    ("{unit}业主", "电梯按钮失灵。", "已通知电梯维保单位。"),
    ("供电局 Power company", "计划停电通知。", "已登记并通知客服中心张贴公告。"),
]

VISITORS = [
    ("张师傅", "顺丰快递", "送件 Delivery"),
    ("Mr. Brown", "Elevator Co.", "Lift maintenance"),
    ("李女士", "", "探访{unit}业主 Visiting a resident"),
    ("王工", "消防检测公司", "消防设施年检 Fire equipment inspection"),
    ("陈先生", "装修公司", "装修{unit} Renovation"),
    ("Ms. Garcia", "Water utility", "Meter check"),
]

SKIP_ROUND = [
    "暴雨，室外巡查暂停 / Heavy rain, outdoor round suspended",
    "处理突发事件，无法按时巡查 / Handling an incident",
    "陪同消防检查 / Escorting the fire inspection",
]
SKIP_CHECK = [
    "区域施工封闭 / Area closed for works",
    "门锁住，钥匙在工程部 / Locked, key at engineering",
]
OUT_OF_RANGE = "读数超出范围，已复核并上报 / Out of range, rechecked and reported"
MISSING_ONE = "缺1具，已上报 / One missing, reported"
PROBLEM = [
    "地面有积水 / Water on the floor",
    "照明一处不亮 / One light out",
    "门未关好，已关闭 / Door left open, closed",
    "垃圾未清理 / Litter not cleared",
]

# (category, place, description, actions, result, characteristics, people)
INCIDENTS: dict[str, list[tuple[str, str, str, str, str, str, int]]] = {
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
MAJOR: dict[str, list[tuple[str, str, str, str, str, str]]] = {
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

REPAIRS = [
    ("{unit}", "卫生间漏水 / Bathroom leak", "更换密封圈 / Seal replaced"),
    ("{unit}", "入户门锁损坏", "更换锁芯"),
    ("1号楼 / 3F 走廊", "Corridor light out", "Tube replaced"),
    ("{unit}", "厨房下水堵塞", "疏通完毕"),
    ("会所", "Toilet flush broken", "Valve replaced"),
    ("{unit}", "空调不制冷 / AC not cooling", "加氟后正常"),
    ("2号楼 电梯厅", "对讲门禁无响应", "更换主板"),
]

HANDOVER_NOTES = [
    "设备运行正常，无遗留问题。 / All equipment normal, nothing outstanding.",
    "对讲机已充电。 Radios charged.",
    "本班无异常。",
    "Note the water shut-off tomorrow 09:00–12:00.",
    "工具、钥匙已清点无误。",
]

NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "Tom Lee", "Anna Schmidt", "赵敏", "黄磊"]
