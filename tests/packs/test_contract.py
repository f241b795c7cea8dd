"""The contract every registered pack (first party or third party) must keep, run over each one.

Defaults validate; the settings render as JSON Schema in both languages with a title for every field;
every hookimpl matches a hookspec (pluggy ``check_pending``); the pack has a README that lists every setting.
"""

from __future__ import annotations

import inspect
import json
import re

import msgspec
import pytest

from govhall.packs import hookspecs
from govhall.packs.jsonschema import settings_schema
from govhall.packs.manager import ENTRY_POINT_GROUP, PackHost, get_host
from govhall.packs.resolve import defaults_json, field_types
from govhall.packs.validation import check_overrides

PACKS = sorted(get_host().packs)


def test_first_party_packs_are_registered_by_entry_point() -> None:
    from importlib.metadata import entry_points

    names = {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    assert {"work_hours", "uniform_seasons", "leave_quotas", "point_values"} <= names
    assert {"work_hours", "uniform_seasons", "leave_quotas", "point_values"} <= set(PACKS)
    for name in PACKS:
        assert get_host().packs[name].distribution == "govhall-packs" or name not in names


@pytest.mark.parametrize("name", PACKS)
def test_defaults_validate(name: str) -> None:
    spec = get_host().packs[name].spec
    defaults = spec.defaults()
    assert defaults.problems() == []
    # The defaults survive the JSON round trip the database does, and validate as overrides of themselves.
    as_json = json.loads(json.dumps(defaults_json(spec)))
    assert msgspec.convert(as_json, spec.settings) == defaults
    _clean, merged, problems = check_overrides(spec, as_json, defaults_json(spec))
    assert problems == [] and merged == defaults


@pytest.mark.parametrize("name", PACKS)
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_json_schema_renders_with_titles_in_both_languages(name: str, lang: str) -> None:
    spec = get_host().packs[name].spec
    schema = settings_schema(spec, lang)
    json.dumps(schema)  # serialisable
    assert schema["type"] == "object"
    assert schema["title"] == (spec.title_en if lang == "en" else spec.title_zh)
    assert set(schema["properties"]) == set(field_types(spec))
    for field, prop in schema["properties"].items():
        assert prop.get("title"), f"{name}.{field} has no title"
        assert prop.get("x-title-en"), f"{name}.{field} has no English title"
        if lang == "zh-CN":
            assert re.search(r"[\u4e00-\u9fff]", prop["title"]), f"{name}.{field}: zh title {prop['title']!r}"


def _one_ofs(node: object) -> list[dict]:
    if isinstance(node, list):
        return [x for v in node for x in _one_ofs(v)]
    if not isinstance(node, dict):
        return []
    return ([node] if "oneOf" in node else []) + [x for v in node.values() for x in _one_ofs(v)]


@pytest.mark.parametrize("name", PACKS)
def test_choices_carry_a_type_for_the_form(name: str) -> None:
    """The form library picks a choice's widget by `type`: a `oneOf` without one renders as nothing at all."""
    for node in _one_ofs(settings_schema(get_host().packs[name].spec)):
        assert node.get("type") in ("string", "integer") and "enum" not in node, node


@pytest.mark.parametrize("name", PACKS)
def test_every_hookimpl_matches_a_spec(name: str) -> None:
    """A fresh host with only this pack: check_pending raises for a misspelt or unknown hook."""
    loaded = get_host().packs[name]
    host = PackHost()
    host.register(loaded.module)
    host.pm.check_pending()
    hooks = host.hooks_of(name)
    assert hooks, f"{name} implements no hook"
    assert set(hooks) <= set(hookspecs.HOOK_NAMES)


@pytest.mark.parametrize("name", PACKS)
def test_pack_has_a_readme_listing_its_settings(name: str) -> None:
    spec = get_host().packs[name].spec
    assert spec.readme is not None and spec.readme.exists(), f"{name} has no README.md"
    text = spec.readme.read_text(encoding="utf-8")
    missing = [f for f in field_types(spec) if f"`{f}`" not in text]
    assert not missing, f"{spec.readme} does not list the settings {missing}"


def test_a_misspelt_hookimpl_is_refused() -> None:
    import pluggy

    from govhall.packs import PackSettings, PackSpec, hookimpl

    class Typo:
        PACK = PackSpec(name="typo", version="0", title_zh="错", title_en="typo", description_zh="",
                        description_en="", settings=PackSettings)

        @hookimpl
        def govhall_work_calender(self, rules):  # type: ignore[no-untyped-def]
            return None

    host = PackHost()
    host.register(Typo())
    with pytest.raises(pluggy.PluginValidationError):
        host.pm.check_pending()


@pytest.mark.parametrize("hook", hookspecs.HOOK_NAMES)
def test_every_hookspec_is_documented(hook: str) -> None:
    """Style rule 8: each spec is typed, documents every argument and says how results combine."""
    func = getattr(hookspecs, hook)
    doc = inspect.getdoc(func) or ""
    params = list(inspect.signature(func).parameters)
    if hook not in hookspecs.HOST_HOOKS:  # host hooks run for every installed pack, with no tenant
        assert params and params[0] == "rules"
    for p in params:
        assert f":param {p}:" in doc, f"{hook}: argument {p} is not documented"
    assert ":returns:" in doc
    combine = "*firstresult*" in doc, "*list*" in doc
    assert any(combine), f"{hook} does not say how results combine"
    is_first = bool(func.govhall_spec["firstresult"])
    assert ("*firstresult*" in doc) == is_first, f"{hook}: the doc and the marker disagree"
    hints = inspect.signature(func)
    assert all(v.annotation is not inspect.Parameter.empty for v in hints.parameters.values())


def test_every_hook_is_in_the_pack_docs() -> None:
    """Like datasette's test_plugin_hooks_are_documented: docs/packs.md names each hook with its arguments."""
    import inspect
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "packs.md").read_text(encoding="utf-8")
    for hook in hookspecs.HOOK_NAMES:
        args = ", ".join(inspect.signature(getattr(hookspecs, hook)).parameters)
        assert f"`{hook}({args})`" in text, f"docs/packs.md does not document {hook}({args})"
