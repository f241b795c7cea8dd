"""Person names: any Unicode (GB 18030 incl. 4-byte CJK extensions), minority names joined by U+00B7.

Look-alike separators are folded into the middle dot (民委发〔2016〕33号 prescribes "·"); control, zero-width
and bidirectional-override characters are refused so names cannot spoof logs or screens.
"""

from __future__ import annotations

import unicodedata

from govhall.errors import AppError, field_error

MIDDLE_DOT = "\u00b7"
_LOOKALIKE_DOTS = {"\u30fb", "\u2022", "\uff0e", "\u2027", "\u00b7", "\u16eb", "\u2219", "\u22c5", "\uff65"}
MAX_NAME = 100


def normalize_name(raw: str, field: str = "name") -> str:
    name = unicodedata.normalize("NFC", raw.replace("\u3000", " ").strip())
    name = "".join(MIDDLE_DOT if c in _LOOKALIKE_DOTS else c for c in name)
    bad = [c for c in name if unicodedata.category(c) in {"Cc", "Cf", "Cs", "Co", "Cn"}]
    if not name or bad or len(name) > MAX_NAME:
        raise AppError(
            "invalid_name", "姓名不能为空、不超过 100 个字符，且不能包含控制字符或不可见字符",
            "Name must be 1-100 characters without control or invisible characters", status=400,
            fields=[field_error(field, "姓名格式不正确", "Invalid name")],
        )
    return name
