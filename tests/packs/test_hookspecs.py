"""Every hook has a caller, and every test file a hook's docs name exists.

A hookspec nobody calls is an API that promises what the core never does: a pack author implements it and
nothing happens. So each ``govhall_*`` spec in ``govhall/packs/hookspecs.py`` must be called somewhere in
``platform/govhall`` (``hooks.hook.govhall_x(...)`` or ``hooks.call("govhall_x", ...)``).

A hook that cannot have a caller yet goes in ``AWAITING_CALLER`` and is ``xfail(strict=True)``: the day a caller
lands the test XPASSes, which fails the run until the entry goes. (Since issues 10 and 11 landed: none.)
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from govhall.packs import hookspecs

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "platform" / "govhall"

AWAITING_CALLER: dict[str, str] = {}  # hook name -> why it has no caller yet (none today)


def _core_sources() -> dict[Path, str]:
    return {p: p.read_text() for p in CORE.rglob("*.py")
            if "migrations" not in p.parts and p.name != "hookspecs.py"}


def _callers(hook: str) -> list[str]:
    call = re.compile(rf"""(\.hook\.{hook}\s*\(|\.call\(\s*["']{hook}["'])""")
    return [str(p.relative_to(ROOT)) for p, text in _core_sources().items() if call.search(text)]


def _params() -> list[object]:
    return [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=AWAITING_CALLER[name]))
            if name in AWAITING_CALLER else name for name in hookspecs.HOOK_NAMES]


def test_the_expected_gaps_are_real_hooks() -> None:
    assert set(AWAITING_CALLER) <= set(hookspecs.HOOK_NAMES)


@pytest.mark.parametrize("hook", _params())
def test_every_hook_has_a_caller_in_the_core(hook: str) -> None:
    assert _callers(hook), f"{hook} is specified but nothing in platform/govhall calls it"


def test_the_caller_search_finds_known_callers() -> None:
    """The search is not vacuous: the calendar hook is called by the packs' calendar."""
    assert "platform/govhall/packs/calendar.py" in _callers("govhall_work_calendar")


TEST_FILE = re.compile(r"\btests/[\w/]+\.py\b")


def _hook_docs() -> dict[str, str]:
    docs = {"govhall/packs/hookspecs.py (module)": hookspecs.__doc__ or "",
            "docs/packs.md": (ROOT / "docs" / "packs.md").read_text()}
    for name in hookspecs.HOOK_NAMES:
        docs[name] = inspect.getdoc(getattr(hookspecs, name)) or ""
    return docs


def test_every_test_file_named_in_the_hook_docs_exists() -> None:
    named = {(where, path) for where, text in _hook_docs().items() for path in TEST_FILE.findall(text)}
    assert named, "the hook docs name their tests"
    missing = sorted(f"{where}: {path}" for where, path in named if not (ROOT / path).is_file())
    assert not missing, missing


def test_a_retired_hook_warns_the_packs_that_still_implement_it() -> None:
    """pluggy's deprecation path (hookspecs.py "Changing a hook"): a spec kept with ``warn_on_impl`` makes the
    pack host's registration warn about a pack implementing it, naming the hook; a pack without it registers quietly."""
    import warnings

    from govhall.packs import PackSettings, PackSpec, hookimpl
    from govhall.packs.hookspecs import hookspec
    from govhall.packs.manager import PackHost

    class Retired:
        @hookspec(warn_on_impl=DeprecationWarning("govhall_old_hook is retired: implement govhall_new_hook"))
        def govhall_old_hook(self, day: object) -> object:
            """Retired (kept one release for the warning)."""

    class Settings(PackSettings):
        x: int = 0

    def pack(name: str, body: dict[str, object]) -> object:
        spec = PackSpec(name=name, version="1.0.0", title_zh="测试", title_en="Test", description_zh="测试用",
                        description_en="for tests", settings=Settings)
        return type(f"Pack_{name}", (), {"PACK": spec, **body})()

    host = PackHost()
    host.pm.add_hookspecs(Retired)
    with pytest.warns(DeprecationWarning, match="govhall_old_hook is retired"):
        host.register(pack("old", {"govhall_old_hook": hookimpl(lambda self, day: day)}))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        host.register(pack("new", {}))
    assert host.hooks_of("old") == ["govhall_old_hook"] and host.hooks_of("new") == []
