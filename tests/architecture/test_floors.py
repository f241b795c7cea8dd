"""The floors of ``platform/govhall`` (pyproject ``[tool.importlinter]``): the contract holds, lists no exception,
places every top-level module, and really fails on an import from the core into a domain."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def _contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    [contract] = config["contracts"]
    return contract


def _run(root: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run([str(LINT), "--no-cache", "--config", str(root / "pyproject.toml")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=240)


def test_the_contract_lists_no_exceptions_and_places_every_module() -> None:
    contract = _contract()
    assert contract["type"] == "layers"
    assert contract.get("exhaustive") is True
    assert "ignore_imports" not in contract and "unmatched_ignore_imports_alerting" not in contract
    floors = [name.strip().strip("()") for layer in contract["layers"] for name in layer.split(":")]
    assert floors.index("domain") < floors.index("packs") < floors.index("authz") < floors.index("audit")
    assert floors.index("audit") < floors.index("tenancy") < floors.index("db") < floors.index("config")


def test_the_floors_hold() -> None:
    result = _run(ROOT, ROOT / "platform")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_import_from_the_core_into_a_domain_breaks_the_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "platform" / "govhall", tmp_path / "platform" / "govhall",
                    ignore=shutil.ignore_patterns("static", "__pycache__", "migrations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    clock = tmp_path / "platform" / "govhall" / "clock.py"
    clock.write_text(clock.read_text() + "\nfrom govhall.domain.org.models import Staff  # noqa\n")
    result = _run(tmp_path, tmp_path / "platform")
    assert result.returncode != 0
    assert "govhall.clock -> govhall.domain.org.models" in result.stdout
