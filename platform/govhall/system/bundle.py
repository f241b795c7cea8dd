"""What the browser downloads before the login form shows: the built entry of the UI and its static imports.

Read from Vite's build manifest (``.vite/manifest.json`` in the static folder): the entry ``index.html`` and every
chunk it imports statically (lazily loaded routes are ``dynamicImports`` and are not followed). Sizes are gzip at
level 9, as served compressed. The budget (``LOGIN_JS_BUDGET``) is checked by tests/system/test_bundle.py and
reported by ``make bench``.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

LOGIN_JS_BUDGET = 250 * 1024  # bytes of gzip


@dataclass(frozen=True)
class Asset:
    file: str
    raw: int
    gzip: int


def login_route_js(static_dir: Path) -> list[Asset]:
    """The JavaScript files the login route loads, from the build manifest (FileNotFoundError when not built)."""
    manifest = json.loads((static_dir / ".vite" / "manifest.json").read_text(encoding="utf-8"))
    entries = [key for key, chunk in manifest.items() if chunk.get("isEntry")]
    seen: list[str] = []

    def walk(key: str) -> None:
        if key in seen:
            return
        seen.append(key)
        for dep in manifest[key].get("imports", []):
            walk(dep)

    for key in entries:
        walk(key)
    out = []
    for key in seen:
        file = manifest[key]["file"]
        if file.endswith(".js"):
            data = (static_dir / file).read_bytes()
            out.append(Asset(file, len(data), len(gzip.compress(data, 9))))
    return out


def report(static_dir: Path) -> str:
    """A markdown table of the login route's JavaScript against the budget."""
    try:
        assets = login_route_js(static_dir)
    except FileNotFoundError:
        return "## Login route JavaScript\n\nUI not built (`make ui`): nothing measured.\n"
    lines = ["## Login route JavaScript (gzip, from .vite/manifest.json)", "",
             "| file | raw KB | gzip KB |", "|---|---:|---:|"]
    lines += [f"| {a.file} | {a.raw / 1024:.1f} | {a.gzip / 1024:.1f} |" for a in assets]
    total = sum(a.gzip for a in assets)
    lines += [f"| **total** | {sum(a.raw for a in assets) / 1024:.1f} | **{total / 1024:.1f}** |", "",
              f"Budget {LOGIN_JS_BUDGET // 1024} KB gzip: {'within' if total <= LOGIN_JS_BUDGET else 'OVER'}.", ""]
    return "\n".join(lines)
