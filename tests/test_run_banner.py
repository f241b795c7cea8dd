"""``make run`` ends with a short banner (issue 13, newcomer output): the URL to open and the demo logins; the
steps' output goes to var/make-run.log unless ``V=1``."""

from __future__ import annotations

import subprocess
from pathlib import Path

from govhall.cli import _yaml_logins, banner

ROOT = Path(__file__).resolve().parents[1]


def test_banner_names_the_url_and_the_logins() -> None:
    logins = _yaml_logins()
    assert ("county_clerk", "clerk", "团风县政务服务中心", "") in logins
    text = banner("http://127.0.0.1:8000", logins, None)
    assert "http://127.0.0.1:8000" in text and "county_clerk" in text and "窗口工作人员" in text
    assert len(text.splitlines()) <= len(logins) + 8
    assert "Demo@12345" in banner("http://x", [("a", "clerk", "c", "pw")], "Demo@12345")


def test_make_run_is_quiet_unless_verbose(tmp_path: Path) -> None:
    log = tmp_path / "run.log"

    def plan(*args: str) -> str:  # make -n still runs the $(MAKE) line: MAKE=true keeps it a no-op
        return subprocess.run(["make", "-n", "run", "MAKE=true", f"RUNLOG={log}", *args], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout

    quiet = plan()
    assert f">>{log} 2>&1" in quiet and "--banner http://127.0.0.1:8000" in quiet
    assert "GOVHALL_LOG_LEVEL=WARNING" in quiet
    loud = plan("V=1")
    assert f"{log} 2>&1" not in loud and "GOVHALL_LOG_LEVEL=INFO" in loud
