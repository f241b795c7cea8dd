"""Types (issue 9): ``make lint`` runs mypy (``make typecheck``) over platform/ and plugins/, mypy with the project's
configuration really fails on a type error and on a bare ``type: ignore``, and every ``type: ignore`` in the code
names its error code and says why on the same line."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MYPY = Path(sys.executable).with_name("mypy")


def _mypy_on(source: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The project's global mypy settings on a snippet (the whole tree is `make typecheck`'s job): the same
    [tool.mypy] table as an ini file, without the package list (mypy takes either packages or a snippet)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    lines = ["[mypy]"]
    for key, value in config.items():
        if key in ("packages", "mypy_path", "overrides"):
            continue
        text = ", ".join(value) if isinstance(value, list) else str(value)
        lines.append(f"{key} = {text}")
    ini = tmp_path / "mypy.ini"
    ini.write_text("\n".join(lines) + "\n")
    return subprocess.run([str(MYPY), "--config-file", str(ini), "--no-incremental", "-c", source],
                          cwd=tmp_path, capture_output=True, text=True, timeout=240)


def test_make_lint_runs_the_type_checker_over_platform_and_plugins() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lint: .*\btypecheck\b", makefile, re.M)
    assert re.search(r"^typecheck:\n\t\$\(BIN\)/mypy$", makefile, re.M)
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert set(config["packages"]) == {"govhall", "govhall_packs"}
    assert config["warn_unused_ignores"] and "ignore-without-code" in config["enable_error_code"]


def test_a_type_error_fails_the_checker(tmp_path: Path) -> None:
    bad = _mypy_on("def f(n: int) -> str:\n    return n\n", tmp_path)
    assert bad.returncode == 1 and "[return-value]" in bad.stdout, bad.stdout + bad.stderr
    bare = _mypy_on("x: int = 'a'  # type: ignore\n", tmp_path)
    assert bare.returncode == 1 and "[ignore-without-code]" in bare.stdout, bare.stdout + bare.stderr
    good = _mypy_on("def f(n: int) -> str:\n    return str(n)\n", tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr


def test_every_type_ignore_names_its_code_and_says_why() -> None:
    bare = []
    for path in sorted([*(ROOT / "platform").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")]):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "type: ignore" in line and not re.search(r"# type: ignore\[[a-z-]+(, ?[a-z-]+)*\]\s+#\s*\S", line):
                bare.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not bare, "write `# type: ignore[code]  # why` (docs/CONVENTIONS.md, Types):\n" + "\n".join(bare)
