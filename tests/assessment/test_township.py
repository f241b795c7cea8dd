"""The township sanctions-only template (tenants/templates/township.yaml; seed 001 = 001 苏木便民服务中心工作制度,
四(二) 违诺处理): a center without points records the same violations, each line carries the sanction of its
occurrence, the card shows no score loss and no pay. One case per clause."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.assessment.conftest import BASE, COUNTY_DAY, as_user, fill_march, post
from tests.attendance.centers import make_center, set_pack

ROOT = Path(__file__).resolve().parents[2]


def township_points() -> dict[str, Any]:
    doc = yaml.safe_load((ROOT / "tenants" / "templates" / "township.yaml").read_text(encoding="utf-8"))
    return doc["packs"]["point_values"]


async def _record(client: Any, c: Any, kind: str, day: str, who: str = "E001") -> None:
    r = await post(client, BASE.format(c.id) + "/violations",
                   {"kind": kind, "day": day, "staffId": str(c.staff[who]), "source": "complaint"})
    assert r.status_code == 201, r.text


async def test_township_records_sanctions_not_points(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """001 四(二)1 态度粗暴 -> 批评教育 (verbal_warning); 四(二)1 争吵 -> 效能告诫; 四(二)2 未按期限办完 -> 1st
    责令道歉 (verbal_warning), 2nd (情节严重) 效能告诫; 四(二)3 吃拿卡要 -> 效能告诫, 2nd 移送纪检监察 (党纪政纪);
    四(二)4 其他违诺 -> 警告, then 书面检查. Every line 0 points, total 100, pay 0; the card says sanctions only."""
    c = await make_center(owner_session, demo)
    await set_pack(owner_session, c.id, "point_values", township_points())
    await fill_march(owner_session, c, COUNTY_DAY, {})
    await as_user(client, c.users["duty"])
    for kind, day in (("rude", "2026-03-02"), ("quarrel", "2026-03-03"), ("overdue", "2026-03-04"),
                      ("overdue", "2026-03-05"), ("kickback", "2026-03-06"), ("kickback", "2026-03-09"),
                      ("other_breach", "2026-03-10"), ("other_breach", "2026-03-11")):
        await _record(client, c, kind, day)
    await as_user(client, c.users["admin"])
    r = await post(client, BASE.format(c.id) + "/months/2026-03/close")
    assert r.status_code == 200, r.text
    assert r.json()["attendanceRecords"] == 0  # no attendance mapping in a sanctions-only township
    card = (await client.get(BASE.format(c.id) + f"/staff/{c.staff['E001']}/card?month=2026-03")).json()
    assert card["sanctionsOnly"] is True
    assert (card["total"], card["payYuan"], card["deducted"]) == (100, 0, 0)
    lines = [(x["kind"], x["occurrence"], x["sanction"], x["points"], x["clause"][:9])
             for cat in card["categories"] for x in cat["lines"]]
    assert lines == [
        ("rude", 1, "verbal_warning", 0, "001 四(二)1"),
        ("quarrel", 1, "efficiency_warning", 0, "001 四(二)1"),
        ("overdue", 1, "verbal_warning", 0, "001 四(二)2"),
        ("overdue", 2, "efficiency_warning", 0, "001 四(二)2"),
        ("kickback", 1, "efficiency_warning", 0, "001 四(二)3"),
        ("kickback", 2, "referred_to_discipline", 0, "001 四(二)3"),
        ("other_breach", 1, "verbal_warning", 0, "001 四(二)4"),
        ("other_breach", 2, "written_self_criticism", 0, "001 四(二)4"),
    ]
    other = (await client.get(BASE.format(c.id) + f"/staff/{c.staff['E002']}/card?month=2026-03")).json()
    assert (other["total"], other["payYuan"], other["sanctionsOnly"]) == (100, 0, True)


async def test_sanctions_only_needs_a_sanction_per_item(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """A sanctions-only center whose item has no sanction would record nothing visible: refused like a bad field."""
    c = await make_center(owner_session, demo)
    settings = township_points()
    settings["violations"] = [{**settings["violations"][0], "sanction": []}]
    await as_user(client, c.users["admin"])
    r = await post(client, f"/api/t/{c.id}/packs/point_values/versions",
                   {"enabled": True, "overrides": settings, "effectiveFrom": "2026-04-03"})
    assert r.status_code == 400, r.text
    assert "violations[0].sanction" in r.text

