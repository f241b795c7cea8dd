"""The pack host: loading from entry points (with the allow-list), the listing command."""

from __future__ import annotations

import json

from click.testing import CliRunner

from govhall.cli import main
from govhall.packs.manager import PackHost


def test_allow_list_restricts_loading() -> None:
    host = PackHost()
    host.load_entry_points(["work_hours", "point_values"])
    assert sorted(host.packs) == ["point_values", "work_hours"]
    assert host.packs["work_hours"].distribution == "govhall-packs"


def test_relay_leaves_out_packs_not_enabled() -> None:
    host = PackHost()
    host.load_entry_points(["work_hours", "uniform_seasons"])
    relay = host.relay({"uniform_seasons"})
    assert [i.plugin_name for i in relay.govhall_work_calendar.get_hookimpls()] == []
    assert [i.plugin_name for i in relay.govhall_dress_code.get_hookimpls()] == ["uniform_seasons"]
    assert host.relay({"uniform_seasons"}) is relay


def test_packs_list_command() -> None:
    result = CliRunner().invoke(main, ["packs", "list"])
    assert result.exit_code == 0, result.output
    assert "work_hours" in result.output and "govhall_work_calendar" in result.output
    assert "百分制考核 / Point values" in result.output
    rows = json.loads(CliRunner().invoke(main, ["packs", "list", "--json"]).output)
    assert {"work_hours", "uniform_seasons", "leave_quotas", "point_values"} <= {r["name"] for r in rows}
