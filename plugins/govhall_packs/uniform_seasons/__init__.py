"""uniform_seasons (着装规范): uniform seasons by month and day, what to wear, registered exemptions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from govhall.packs import PackSpec, hookimpl
from govhall.packs.types import DressCode, TenantRules
from govhall_packs.uniform_seasons import logic
from govhall_packs.uniform_seasons.settings import UniformSettings

PACK = PackSpec(
    name="uniform_seasons",
    version="1.0.0",
    title_zh="着装规范",
    title_en="Uniform seasons",
    description_zh="按季节规定着装（默认 5—10 月夏装、11—次年 4 月秋冬装），佩证上岗，备案的特殊情况。",
    description_en="Dress code by season (default summer May-October, winter November-April), badge, "
                   "registered exemptions.",
    settings=UniformSettings,
    readme=Path(__file__).with_name("README.md"),
    ui_schema={"seasons": {"items": {"dress": {"ui:widget": "textarea", "ui:options": {"rows": 2}}}},
               "forbidden": {"ui:widget": "textarea", "ui:options": {"rows": 2}}},
)


@hookimpl
def govhall_dress_code(rules: TenantRules, days: Sequence[dt.date]) -> dict[dt.date, DressCode]:
    return logic.dress_codes(rules.of(PACK.name), days)


@hookimpl
def govhall_dress_exemptions(rules: TenantRules, days: Sequence[dt.date], employee_nos: Sequence[str]
                             ) -> dict[str, dict[dt.date, str]]:
    return logic.exemptions(rules.of(PACK.name), days, employee_nos)
