"""Names: one rule for every name a person types (people, tenants, departments, windows, devices, accounts).

Person names: any Unicode (GB 18030 incl. 4-byte CJK extensions), minority names joined by U+00B7.

Look-alike separators are folded into the middle dot (民委发〔2016〕33号 prescribes "·"); control, zero-width
and bidirectional-override characters are refused so names cannot spoof logs or screens.
"""

from __future__ import annotations

import unicodedata

from govhall.errors import AppError, field_error

MIDDLE_DOT = "\u00b7"
_LOOKALIKE_DOTS = {"\u30fb", "\u2022", "\uff0e", "\u2027", "\u00b7", "\u16eb", "\u2219", "\u22c5", "\uff65"}
MAX_NAME = 100


_REFUSED = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}  # control, format (bidi, zero-width), surrogates, private,
# unassigned, line and paragraph separators: nothing a name needs, everything a spoofed log line or screen does


def normalize_name(raw: str, field: str = "name", *, max_len: int = MAX_NAME, person: bool = True) -> str:
    """The one name rule: NFC, trimmed, look-alike middle dots folded, no control/invisible/bidi characters or
    line breaks, 1..max_len characters. ``person=False`` words the message for things (a center, a window)."""
    name = unicodedata.normalize("NFC", (raw or "").replace("\u3000", " ").strip())
    name = "".join(MIDDLE_DOT if c in _LOOKALIKE_DOTS else c for c in name)
    bad = [c for c in name if unicodedata.category(c) in _REFUSED]
    if not name or bad or len(name) > max_len:
        what_zh, what_en = ("姓名", "Name") if person else ("名称", "Name")
        raise AppError(
            "invalid_name", f"{what_zh}不能为空、不超过 {max_len} 个字符，且不能包含控制字符、换行或不可见字符",
            f"{what_en} must be 1-{max_len} characters without control, line-break or invisible characters",
            status=400, fields=[field_error(field, f"{what_zh}格式不正确", f"Invalid {what_en.lower()}")],
        )
    return name


def check_names(obj: object, fields: dict[str, tuple[int, bool]]) -> None:
    """Apply the rule to the named fields of an input struct (``CamelStruct.__names__``); unset fields are skipped."""
    for attr, (max_len, person) in fields.items():
        value = getattr(obj, attr, None)
        if isinstance(value, str):
            camel = attr.split("_")[0] + "".join(p.title() for p in attr.split("_")[1:])
            setattr(obj, attr, normalize_name(value, camel, max_len=max_len, person=person))
