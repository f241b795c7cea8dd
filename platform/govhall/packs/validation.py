"""Validate settings a tenant wants to save: every field checked, every problem named, in zh-CN and English.

Each top-level override is converted against its field's type on its own (so one save reports every bad
field, not just the first), then the merged settings run the pack's cross-field ``problems()``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, get_args, get_origin

import msgspec

from govhall.packs.resolve import field_types
from govhall.packs.spec import MONTH_DAY_PATTERN, TIME_PATTERN, PackSettings, PackSpec

_AT = re.compile(r"^(?P<msg>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_TYPE_ZH = {"int": "整数", "float": "数字", "str": "文字", "bool": "是/否", "array": "列表", "object": "对象",
            "null": "空值", "date": "日期"}
_PATTERN_ZH = {TIME_PATTERN: ("应为 HH:MM 格式的时间（如 08:30）", "must be a time as HH:MM (e.g. 08:30)"),
               MONTH_DAY_PATTERN: ("应为 MM-DD 格式的月日（如 05-01）", "must be a month and day as MM-DD (e.g. 05-01)")}


def _zh_type(t: str) -> str:
    return _TYPE_ZH.get(t.strip("`"), t)


def translate(message: str) -> tuple[str, str, str]:
    """(path, zh, en) for a msgspec validation message."""
    m = _AT.match(message)
    assert m is not None
    msg, path = m.group("msg"), m.group("path") or ""
    rules: list[tuple[str, Any]] = [
        (r"^Expected `(\w+)` >= (\S+)$", lambda a, b: (f"应为不小于 {b} 的{_zh_type(a)}", f"must be >= {b}")),
        (r"^Expected `(\w+)` > (\S+)$", lambda a, b: (f"应为大于 {b} 的{_zh_type(a)}", f"must be > {b}")),
        (r"^Expected `(\w+)` <= (\S+)$", lambda a, b: (f"应为不大于 {b} 的{_zh_type(a)}", f"must be <= {b}")),
        (r"^Expected `(\w+)` < (\S+)$", lambda a, b: (f"应为小于 {b} 的{_zh_type(a)}", f"must be < {b}")),
        (r"^Expected `(\w+)`, got `(\w+)`$",
         lambda a, b: (f"应为{_zh_type(a)}，实际是{_zh_type(b)}", f"must be {a}, not {b}")),
        (r"^Expected `str` of length >= 1$", lambda: ("不能为空", "must not be empty")),
        (r"^Expected `str` of length >= (\d+)$", lambda n: (f"至少 {n} 个字", f"must have at least {n} characters")),
        (r"^Expected `str` of length <= (\d+)$", lambda n: (f"不能超过 {n} 个字", f"must have at most {n} characters")),
        (r"^Expected `array` of length >= (\d+)$", lambda n: (f"至少要有 {n} 项", f"needs at least {n} items")),
        (r"^Expected `array` of length <= (\d+)$", lambda n: (f"最多 {n} 项", f"allows at most {n} items")),
        (r"^Object missing required field `(\w+)`$", lambda f: (f"缺少必填项 {f}", f"is missing {f}")),
        (r"^Object contains unknown field `(\w+)`$", lambda f: (f"不认识的项 {f}", f"has an unknown field {f}")),
        (r"^Invalid enum value (.+)$", lambda v: (f"{v} 不是允许的取值", f"{v} is not one of the allowed values")),
        (r"^Invalid RFC3339 encoded date$", lambda: ("日期格式应为 YYYY-MM-DD", "must be a date as YYYY-MM-DD")),
    ]
    for pattern, make in rules:
        hit = re.match(pattern, msg)
        if hit:
            zh, en = make(*hit.groups())
            return path, zh, en
    hit = re.match(r"^Expected `str` matching regex '(.*)'$", msg)
    if hit:
        regex = hit.group(1).encode().decode("unicode_escape")
        zh, en = _PATTERN_ZH.get(regex, ("格式不正确", "has the wrong format"))
        return path, zh, en
    return path, f"取值不正确（{msg}）", msg


def _titles(spec: PackSpec) -> dict[str, tuple[str, str]]:
    out = {}
    for f in msgspec.structs.fields(spec.settings):
        meta = _meta_of(f.type)
        out[f.encode_name] = (meta.title if meta and meta.title else f.encode_name,
                              (meta.extra_json_schema or {}).get("x-title-en", f.encode_name) if meta else f.encode_name)
    return out


def _meta_of(tp: Any) -> msgspec.Meta | None:
    for extra in getattr(tp, "__metadata__", ()):
        if isinstance(extra, msgspec.Meta):
            return extra
    return None


def field_titles(spec: PackSpec) -> dict[str, tuple[str, str]]:
    return _titles(spec)


class Problem(msgspec.Struct, frozen=True):
    field: str
    """``weekly_sessions[1].end``: the top-level field, then the path inside it."""
    zh: str
    en: str


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def _where(spec: PackSpec, path: str) -> tuple[str, str]:
    """``own_calendar[0].workdays`` -> ``「本中心节假日日历」第 1 项 › 调休上班日期`` and its English: the titles people
    see in the form, not the field names (an unknown step stays as written)."""
    top = re.split(r"[.\[]", path, maxsplit=1)[0]
    tz, te = _titles(spec).get(top, (top, top))
    zh, en = [f"「{tz}」"], [te]
    tp: Any = next((_unwrap(f.type) for f in msgspec.structs.fields(spec.settings) if f.encode_name == top), None)
    for index, name in re.findall(r"\[(\d+)\]|\.(\w+)", path[len(top):]):
        if index:
            zh.append(f"第 {int(index) + 1} 项")
            en.append(f"#{int(index) + 1}")
            args = get_args(tp)
            tp = _unwrap(args[0]) if args else None
            continue
        field = next((f for f in msgspec.structs.fields(tp) if f.encode_name == name), None) \
            if isinstance(tp, type) and issubclass(tp, msgspec.Struct) else None
        meta = _meta_of(field.type) if field else None
        zh.append(f"› {meta.title}" if meta and meta.title else f"› {name}")
        en.append(f"› {(meta.extra_json_schema or {}).get('x-title-en', name)}" if meta else f"› {name}")
        tp = _unwrap(field.type) if field else None
    return " ".join(zh).replace("」 第", "」第"), " ".join(en)


def _named(spec: PackSpec, path: str, zh: str, en: str) -> Problem:
    where_zh, where_en = _where(spec, path)
    return Problem(path, f"{where_zh}：{zh}", f"{where_en}: {en}")


def check_overrides(spec: PackSpec, overrides: dict[str, Any], base: dict[str, Any]
                    ) -> tuple[dict[str, Any], PackSettings | None, list[Problem]]:
    """Validate ``overrides`` on top of ``base`` (the inherited values, JSON).

    Returns the overrides as canonical JSON, the merged settings struct and the problems (empty when valid).
    """
    types = field_types(spec)
    clean: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, value in overrides.items():
        if name not in types:
            problems.append(Problem(name, f"「{name}」不是本规则包的设置项", f"{name} is not a setting of this pack"))
            continue
        try:
            clean[name] = msgspec.to_builtins(msgspec.convert(value, types[name]))
        except msgspec.ValidationError as exc:
            sub, zh, en = translate(str(exc))
            problems.append(_named(spec, name + sub, zh, en))
    if problems:
        return clean, None, problems
    merged = msgspec.convert({**base, **clean}, spec.settings)
    for p in merged.problems():
        problems.append(_named(spec, p.field, p.zh, p.en))
    return clean, merged, problems
