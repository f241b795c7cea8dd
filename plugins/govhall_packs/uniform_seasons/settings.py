"""Settings of the uniform_seasons pack (着装规范)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

from govhall.packs import MONTH_DAY_PATTERN, PackSettings, SettingsProblem, label

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"
ExemptionReason = Literal["illness", "pregnancy", "other"]
REASON_ZH = {"illness": "疾病", "pregnancy": "怀孕", "other": "其他特殊情况"}
REASON_EN = {"illness": "illness", "pregnancy": "pregnancy", "other": "other special circumstances"}
_REASON_ONE_OF = [{"const": k, "title": REASON_ZH[k], "x-title-en": REASON_EN[k]} for k in REASON_ZH]


class Season(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    key: Annotated[str, label("代码", "Key", x={"widget": "code"}, pattern=KEY_PATTERN)]
    name: Annotated[str, label("名称", "Name", "如“夏装”", "e.g. 夏装", min_length=1, max_length=20)]
    name_en: Annotated[str, label("英文名称", "Name (English)", max_length=40)] = ""
    start: Annotated[str, label("开始（月-日）", "From (MM-DD)", pattern=MONTH_DAY_PATTERN)]
    end: Annotated[str, label("结束（月-日，含）", "To (MM-DD, inclusive)", pattern=MONTH_DAY_PATTERN)]
    dress: Annotated[str, label("着装要求", "What to wear", min_length=1, max_length=500)]


class Exemption(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """An exemption registered with the center's management office (经考核管理办公室备案)."""

    employee_no: Annotated[str, label("工号", "Employee no.", min_length=1, max_length=64)]
    reason: Annotated[ExemptionReason, msgspec.Meta(title="原因", extra_json_schema={
        "x-title-en": "Reason", "oneOf": _REASON_ONE_OF})]
    start: Annotated[dt.date, label("开始日期", "From")]
    end: Annotated[dt.date, label("结束日期（含）", "To (inclusive)")]
    note: Annotated[str, label("备注", "Note", max_length=200)] = ""


DEFAULT_SEASONS = (
    Season(key="summer", name="夏装", name_en="Summer uniform", start="05-01", end="10-31",
           dress="上装着衬衣（长、短袖均可），下装着长裤（女士可着短裙），气温较低时可外加西服上装"),
    Season(key="winter", name="秋冬装", name_en="Autumn/winter uniform", start="11-01", end="04-30",
           dress="着西服套装，内穿长袖衬衣"),
)


class UniformSettings(PackSettings, frozen=True, kw_only=True):
    seasons: Annotated[tuple[Season, ...], label(
        "着装季节", "Uniform seasons", "按月日划分，须覆盖全年每一天且不重叠",
        "By month and day; together they must cover every day of the year exactly once",
        min_length=1)] = DEFAULT_SEASONS
    badge_required: Annotated[bool, label("佩证上岗", "Badge required", "上班时间须佩戴工作牌",
                                          "The staff badge must be worn on duty")] = True
    forbidden: Annotated[str, label("禁止着装", "Never on duty", max_length=300)] = (
        "禁止赤膊、着汗背心、短裤、吊带裙、超短裙和拖鞋上岗")
    exemptions: Annotated[tuple[Exemption, ...], label(
        "备案的特殊情况", "Registered exemptions", "因疾病、怀孕等经备案的人员在期间内不按统一着装考核",
        "Staff with a registered illness or pregnancy are not held to the uniform in that period")] = ()

    def problems(self) -> list[SettingsProblem]:
        out: list[SettingsProblem] = []
        keys: set[str] = set()
        for i, s in enumerate(self.seasons):
            if s.key in keys:
                out.append(SettingsProblem(f"seasons[{i}].key", f"代码 {s.key} 重复", f"key {s.key} is used twice"))
            keys.add(s.key)
        covered: dict[tuple[int, int], int] = {}
        day = dt.date(2024, 1, 1)  # a leap year, so 02-29 is checked too
        while day.year == 2024:
            md = (day.month, day.day)
            for i, s in enumerate(self.seasons):
                if in_season(md, s.start, s.end):
                    if md in covered:
                        out.append(SettingsProblem(
                            f"seasons[{i}].start", f"与第 {covered[md] + 1} 个季节重叠（{day:%m-%d}）",
                            f"overlaps season {covered[md] + 1} ({day:%m-%d})"))
                        return out
                    covered[md] = i
            if md not in covered:
                out.append(SettingsProblem("seasons", f"{day:%m-%d} 不属于任何季节", f"{day:%m-%d} is in no season"))
                return out
            day += dt.timedelta(days=1)
        for i, e in enumerate(self.exemptions):
            if e.end < e.start:
                out.append(SettingsProblem(f"exemptions[{i}].end", "结束日期早于开始日期", "ends before it starts"))
        return out


def in_season(md: tuple[int, int], start: str, end: str) -> bool:
    a, b = (int(start[:2]), int(start[3:])), (int(end[:2]), int(end[3:]))
    return a <= md <= b if a <= b else (md >= a or md <= b)
