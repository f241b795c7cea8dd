"""Tenant files (``tenants/*.yaml``) and pack templates (``tenants/templates/*.yaml``): reading with line numbers,
checking their shape, and writing a center back as YAML.

Every problem is reported as ``file:line: message`` (zh and en), all of them at once; nothing is written while a
file has a problem. The JSON Schema in ``tenants/tenant.schema.json`` describes the same shape for editors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from govhall.tenancy.models import TenantLevel

ROOT = Path(__file__).resolve().parents[4] / "tenants"
TEMPLATE_DIR = ROOT / "templates"
SCHEMA_FILE = ROOT / "tenant.schema.json"
TEMPLATE_ORDER = ("city_hall", "county_hall", "luotian", "township", "blank")
DIVISION_CODE = re.compile(r"^\d{6}(-[0-9A-Za-z]{1,8})?$")
ROLES = ("provincial_admin", "center_admin", "chief_representative", "duty_officer", "clerk")


class LineDict(dict):
    """A mapping that remembers the line of itself and of each key (1-based)."""

    line: int = 0
    lines: dict[str, int]


class LineList(list):
    line: int = 0


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[str(key)] = key_node.start_mark.line + 1
    return out


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(n, deep=True) for n in node.value)
    out.line = node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def plain(obj: Any) -> Any:
    """The same data as plain dicts and lists (for JSON columns and msgspec)."""
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj


def line_of(obj: Any, key: str | None = None) -> int:
    if key is not None and isinstance(obj, LineDict):
        return obj.lines.get(key, obj.line)
    return int(getattr(obj, "line", 0))


@dataclass(frozen=True)
class FileProblem:
    file: str
    line: int
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.en} / {self.zh}"


class TenantFileError(Exception):
    """One or more problems in tenant files; nothing was written."""

    def __init__(self, problems: list[FileProblem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass
class TenantDoc:
    """One tenant file, checked; ``packs`` etc. already merged from its template when it names one and has no
    pack sections of its own."""

    file: str
    data: LineDict
    key: str
    parent: str | None
    name: str
    level: TenantLevel
    division_code: str
    template: str | None
    departments: list[LineDict] = field(default_factory=list)
    staff: list[LineDict] = field(default_factory=list)
    accounts: list[LineDict] = field(default_factory=list)
    packs: dict[str, dict[str, Any]] = field(default_factory=dict)
    pack_defaults: dict[str, dict[str, Any]] = field(default_factory=dict)
    pack_locks: dict[str, list[str]] = field(default_factory=dict)
    pack_lines: dict[tuple[str, str], int] = field(default_factory=dict)
    """(pack, field or "") -> line, for reporting a setting's problem where it is written."""
    parent_code: str | None = None
    """The parent's division code (its file's, or ``parent`` itself when no file has that key)."""
    pack_file: str = ""
    """The file the pack sections come from (the template's, when taken from a template)."""

    def pack_line(self, pack: str, name: str | None = None) -> int:
        return self.pack_lines.get((pack, name or ""), self.pack_lines.get((pack, ""), self.data.line))


@dataclass(frozen=True)
class Template:
    key: str
    title_zh: str
    title_en: str
    file: str
    data: LineDict


def parse(text: str, name: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise TenantFileError([FileProblem(name, (mark.line + 1) if mark else 0, f"YAML 格式错误：{exc}",
                                           f"not valid YAML: {exc}")]) from None


def load_templates(directory: Path = TEMPLATE_DIR) -> dict[str, Template]:
    out: dict[str, Template] = {}
    for p in sorted(directory.glob("*.yaml")):
        rel = f"templates/{p.name}"
        data = parse(p.read_text(encoding="utf-8"), rel)
        if not isinstance(data, LineDict) or data.get("key") != p.stem:
            raise TenantFileError([FileProblem(rel, 1, "模板的 key 应与文件名相同", "a template's key must equal its file name")])
        out[p.stem] = Template(p.stem, str(data.get("title_zh") or p.stem), str(data.get("title_en") or p.stem), rel, data)
    ordered = {k: out[k] for k in TEMPLATE_ORDER if k in out}
    return ordered | {k: v for k, v in out.items() if k not in ordered}


_TEMPLATES: dict[str, Template] | None = None


def templates() -> dict[str, Template]:
    """The templates under ``tenants/templates`` (read once per process)."""
    global _TEMPLATES
    if _TEMPLATES is None:
        _TEMPLATES = load_templates()
    return _TEMPLATES


TENANT_KEYS = {"key", "parent", "name", "level", "division_code", "template", "departments", "staff", "accounts",
               "packs", "pack_defaults", "pack_locks",
               # the leave workflow's approver directory and AB pairs: domain/rulescode/tenant_extras.py
               "leave_approvers", "backup_pairs"}
PACK_SECTIONS = ("packs", "pack_defaults", "pack_locks")


class _Checker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[FileProblem] = []

    def add(self, line: int, zh: str, en: str) -> None:
        self.problems.append(FileProblem(self.file, line, zh, en))

    def text(self, obj: LineDict, key: str, label: tuple[str, str], *, required: bool = True) -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.add(obj.line, f"缺少 {key}（{label[0]}）", f"missing {key} ({label[1]})")
            return None
        if isinstance(value, (dict, list)) or not str(value).strip():
            self.add(line_of(obj, key), f"{key} 应为非空文本", f"{key} must be a non-empty text")
            return None
        return str(value).strip()

    def items(self, obj: LineDict, key: str) -> list[LineDict]:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, LineDict) for v in value):
            self.add(line_of(obj, key), f"{key} 应为列表，每项是一个映射", f"{key} must be a list of mappings")
            return []
        return list(value)


def _pack_sections(doc: TenantDoc, data: LineDict, file: str, c: _Checker, installed: set[str]) -> None:
    doc.pack_file = file
    for section in PACK_SECTIONS:
        value = data.get(section)
        if value is None:
            continue
        if not isinstance(value, LineDict):
            c.add(line_of(data, section), f"{section} 应为“规则包名: 设置”的映射", f"{section} must map pack names to settings")
            continue
        for pack, body in value.items():
            line = line_of(value, pack)
            if pack not in installed:
                c.add(line, f"规则包 {pack} 不存在或未安装", f"unknown pack {pack!r} (not installed)")
                continue
            doc.pack_lines.setdefault((pack, ""), line)
            if section == "pack_locks":
                if not isinstance(body, list) or not all(isinstance(x, str) for x in body):
                    c.add(line, f"{section}.{pack} 应为设置项名称的列表", f"{section}.{pack} must be a list of field names")
                    continue
                doc.pack_locks[pack] = [str(x) for x in body]
                for i, name in enumerate(body):
                    doc.pack_lines.setdefault((pack, name), line_of(body) + i if isinstance(body, LineList) else line)
                continue
            body = body if body is not None else LineDict()
            if not isinstance(body, dict):
                c.add(line, f"{section}.{pack} 应为设置项的映射（可为空 {{}}）", f"{section}.{pack} must be a mapping of settings ({{}} for none)")
                continue
            getattr(doc, section)[pack] = plain(body)
            for name in body:
                doc.pack_lines[(pack, str(name))] = line_of(body, str(name))


def check_doc(data: Any, file: str, installed: set[str], tpls: dict[str, Template]) -> tuple[TenantDoc | None, list[FileProblem]]:
    c = _Checker(file)
    if not isinstance(data, LineDict):
        c.add(1, "文件应为一个映射（key、name、level…）", "the file must be a mapping (key, name, level, ...)")
        return None, c.problems
    for k in data:
        if k not in TENANT_KEYS:
            c.add(line_of(data, k), f"未知的键 {k}", f"unknown key {k!r}")
    key = c.text(data, "key", ("文件内标识", "file-local id"))
    name = c.text(data, "name", ("名称", "name"))
    parent = c.text(data, "parent", ("上级", "parent"), required=False)
    level_s = c.text(data, "level", ("层级", "level"))
    level = None
    if level_s is not None:
        try:
            level = TenantLevel(level_s)
        except ValueError:
            c.add(line_of(data, "level"), "层级应为 province、city、county 或 township",
                  "level must be province, city, county or township")
    code = c.text(data, "division_code", ("行政区划代码", "division code"))
    if code is not None and not DIVISION_CODE.match(code):
        c.add(line_of(data, "division_code"), "行政区划代码应为 6 位数字，可加后缀（如 421123-01）",
              "division_code must be 6 digits, optionally with a suffix (e.g. 421123-01)")
    template = c.text(data, "template", ("模板", "template"), required=False)
    if template is not None and template not in tpls:
        c.add(line_of(data, "template"), f"模板 {template} 不存在（可选：{'、'.join(tpls)}）",
              f"unknown template {template!r} (one of: {', '.join(tpls)})")
    if level is TenantLevel.province and parent:
        c.add(line_of(data, "parent"), "省级机构没有上级", "a province has no parent")
    if level is not None and level is not TenantLevel.province and not parent:
        c.add(data.line, "市、县、乡镇机构必须有上级（parent）", "city, county and township tenants need a parent")
    doc = TenantDoc(file=file, data=data, key=key or "", parent=parent, name=name or "",
                    level=level or TenantLevel.township, division_code=code or "", template=template)
    dept_names: set[str] = set()
    window_nos: dict[str, str] = {}
    for d in c.items(data, "departments"):
        dn = c.text(d, "name", ("部门名称", "department name"))
        c.text(d, "code", ("部门代码", "department code"), required=False)
        if dn in dept_names:
            c.add(d.line, f"部门 {dn} 重复", f"duplicate department {dn!r}")
        dept_names.add(dn or "")
        for w in c.items(d, "windows"):
            no = c.text(w, "number", ("窗口号", "window number"))
            c.text(w, "name", ("窗口名称", "window name"))
            if no in window_nos:
                c.add(w.line, f"窗口号 {no} 重复", f"duplicate window number {no!r}")
            window_nos[no or ""] = dn or ""
        doc.departments.append(d)
    nos: set[str] = set()
    for s in c.items(data, "staff"):
        c.text(s, "name", ("姓名", "name"))
        no = c.text(s, "employee_no", ("工号", "employee number"))
        if no in nos:
            c.add(s.line, f"工号 {no} 重复", f"duplicate employee_no {no!r}")
        nos.add(no or "")
        dept = c.text(s, "department", ("部门", "department"), required=False)
        if dept and dept not in dept_names:
            c.add(line_of(s, "department"), f"部门 {dept} 不在本文件的 departments 中", f"department {dept!r} is not in departments")
        win = c.text(s, "window", ("窗口", "window"), required=False)
        if win and window_nos.get(win) is None:
            c.add(line_of(s, "window"), f"窗口 {win} 不在本文件的 departments 中", f"window {win!r} is not in departments")
        elif win and dept and window_nos[win] != dept:
            c.add(line_of(s, "window"), f"窗口 {win} 不属于部门 {dept}", f"window {win!r} is not a window of {dept!r}")
        doc.staff.append(s)
    users: set[str] = set()
    for a in c.items(data, "accounts"):
        u = c.text(a, "username", ("用户名", "username"))
        c.text(a, "display_name", ("显示名", "display name"))
        if u in users:
            c.add(a.line, f"用户名 {u} 重复", f"duplicate username {u!r}")
        users.add(u or "")
        roles = a.get("roles") or []
        if not isinstance(roles, list) or any(r not in ROLES for r in roles):
            c.add(line_of(a, "roles"), f"角色应为 {'、'.join(ROLES)} 之一", f"roles must be among {', '.join(ROLES)}")
        elif "provincial_admin" in roles and level is not TenantLevel.province:
            c.add(line_of(a, "roles"), "省级管理员只能设在省级机构", "provincial_admin belongs to a province file")
        st = a.get("staff")
        if st is not None and str(st) not in nos:
            c.add(line_of(a, "staff"), f"工号 {st} 不在本文件的 staff 中", f"employee_no {st!r} is not in staff")
        doc.accounts.append(a)
    own_packs = any(s in data for s in PACK_SECTIONS)
    if own_packs:
        _pack_sections(doc, data, file, c, installed)
    elif template in tpls:
        _pack_sections(doc, tpls[template].data, tpls[template].file, c, installed)
    return doc, c.problems


def read_dir(directory: Path, installed: set[str], tpls: dict[str, Template] | None = None) -> list[TenantDoc]:
    """Read and check every ``*.yaml`` in ``directory`` (parents before children); raise every problem at once."""
    tpls = templates() if tpls is None else tpls
    docs: list[TenantDoc] = []
    problems: list[FileProblem] = []
    for p in sorted(directory.glob("*.yaml")):
        try:
            data = parse(p.read_text(encoding="utf-8"), p.name)
        except TenantFileError as exc:
            problems += exc.problems
            continue
        doc, found = check_doc(data, p.name, installed, tpls)
        problems += found
        if doc is not None:
            docs.append(doc)
    by_key: dict[str, TenantDoc] = {}
    by_code: dict[str, TenantDoc] = {}
    for d in docs:
        if d.key in by_key:
            problems.append(FileProblem(d.file, line_of(d.data, "key"), f"key {d.key} 与 {by_key[d.key].file} 重复",
                                        f"key {d.key!r} also used by {by_key[d.key].file}"))
        if d.division_code and d.division_code in by_code:
            other = by_code[d.division_code].file
            problems.append(FileProblem(d.file, line_of(d.data, "division_code"),
                                        f"行政区划代码 {d.division_code} 与 {other} 重复",
                                        f"division_code {d.division_code} also used by {other}"))
        by_key.setdefault(d.key, d)
        by_code.setdefault(d.division_code, d)
    for d in docs:
        # a parent that is no file's key may be a tenant already in the database (its division code): checked
        # against the database by the plan
        if d.parent and d.parent in by_key and by_key[d.parent].level.rank >= d.level.rank:
            problems.append(FileProblem(d.file, line_of(d.data, "level"), "下级机构的层级必须低于上级",
                                        "a child must be at a lower level than its parent"))
    if problems:
        raise TenantFileError(problems)
    for d in docs:
        d.parent_code = by_key[d.parent].division_code if d.parent in by_key else d.parent
    return _parents_first(docs, by_key)


def _parents_first(docs: list[TenantDoc], by_key: dict[str, TenantDoc]) -> list[TenantDoc]:
    def depth(d: TenantDoc) -> int:
        n, seen = 0, set()
        while d.parent and d.parent in by_key and d.key not in seen:
            seen.add(d.key)
            d = by_key[d.parent]
            n += 1
        return n
    return sorted(docs, key=lambda d: (depth(d), d.file))


# ---- writing ------------------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    style = '"' if re.fullmatch(r"[0-9:.\-+eE]+|yes|no|true|false|on|off|null|~", value, re.I) or value == "" else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: dict[str, Any] | list[Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=None, width=120)
