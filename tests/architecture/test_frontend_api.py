"""The UI talks to the API through the generated client only, with the server's types, and reads server state
through TanStack Query (issue 13, "A generated client": "server state goes through one query library so stale
answers cannot overwrite newer ones anywhere"; docs/CONVENTIONS.md, "Calling the API from the UI").

Three rules over `frontend/src` (outside `frontend/src/api/`, which is the client itself):

1. no `fetch(` and no hand-written request helper (`api.get/post/put/patch/delete`, `request(`): calls go through
   `client.GET/POST/...` + `call()` of `frontend/src/api`, whose paths, parameters and answers the compiler checks;
2. no `interface`/object `type` that copies a wire type of the OpenAPI document (`frontend/src/api/openapi.json`)
   under its name or its name without the `View`/`Out`/`In` suffix: types are `Schemas['X']`;
3. no `.then(setX)`: an answer written into component state by hand can arrive after a newer one; queries go
   through `useQuery` keyed by what they ask.

The allowlist names each exception with its reason.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "frontend" / "src"
OPENAPI = SRC / "api" / "openapi.json"

# path (relative to frontend/src, a folder ends with "/") -> why it may break rule 1
RAW_CALLS_ALLOWED = {
    "pages/attendance/": "owned by the webui engineer, converted in that branch (issue 13)",
    "components/FileUpload.tsx": "a multipart upload (FormData): the generated client cannot type it",
    "pages/cases/casesApi.ts": "the ledger imports are multipart uploads (FormData)",
    "pages/staff/StaffPage.tsx": "the roster import is a multipart upload (FormData)",
}
# path -> why it may break rules 2 and 3
HAND_TYPES_ALLOWED = {
    "pages/attendance/": "owned by the webui engineer, converted in that branch (issue 13)",
}
# (path, name) -> why a declaration that shares a wire type's name is not a copy of it
SAME_NAME_ALLOWED = {
    ("i18n.ts", "I18n"): "the i18n context (lang, t); the wire type I18n is a {zh, en} text",
}
STATE_BY_HAND_ALLOWED = {
    "pages/attendance/": "owned by the webui engineer, converted in that branch (issue 13)",
    "pages/leave/NewRequest.tsx": "the live check is a debounced POST whose previous call is aborted "
    "(AbortController) before the next starts: no older answer can land",
}

RAW_CALL = re.compile(
    r"(?<![\w.])fetch\s*\("  # fetch( but not refetch( or x.fetch(
    r"|(?<![\w.])api\s*\.\s*(?:get|post|put|patch|delete)\s*[<(]"
    r"|(?<![\w.])request\s*(?:<|\(\s*['\"`])"  # request<T>(...) or request('GET', ...)
)
DECLARED = re.compile(r"^\s*(?:export\s+)?(?:interface\s+(\w+)\b|type\s+(\w+)\s*=\s*\{)", re.M)
# .then(setX) or .then((answer) => setX(answer...)): the answer itself goes into state
THEN_SET = re.compile(r"\.then\(\s*(?:set[A-Z]\w*\s*\)|\(?\s*(\w+)\s*\)?\s*=>\s*\{?\s*set[A-Z]\w*\(\s*\1\b)")


def _sources() -> list[Path]:
    return sorted(p for p in SRC.rglob("*") if p.suffix in (".ts", ".tsx") and "api" != p.relative_to(SRC).parts[0])


def _allowed(rel: str, allow: dict[str, str]) -> bool:
    return any(rel == k or (k.endswith("/") and rel.startswith(k)) for k in allow)


def _strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"(?<![:'\"`])//[^\n]*", "", text)


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _schema_names() -> set[str]:
    names = set(json.loads(OPENAPI.read_text(encoding="utf-8"))["components"]["schemas"])
    out: set[str] = set()
    for name in names:
        short = name.rsplit("_", 1)[-1] if "_" in name else name  # attendance_schemas_Board -> Board
        if not short:
            continue
        out.add(short)
        for suffix in ("View", "Out", "In"):
            if short.endswith(suffix) and len(short) > len(suffix):
                out.add(short[: -len(suffix)])
    return out


def test_the_allowlists_name_files_that_exist() -> None:
    for allow in (RAW_CALLS_ALLOWED, HAND_TYPES_ALLOWED, STATE_BY_HAND_ALLOWED):
        for rel, reason in allow.items():
            assert (SRC / rel).exists(), f"allowlisted {rel} is gone: drop it from the list"
            assert reason.strip()


def test_pages_call_the_api_through_the_generated_client() -> None:
    """Rule 1: no fetch( and no hand-written request helper outside frontend/src/api (the allowlist aside)."""
    found = []
    for path in _sources():
        rel = path.relative_to(SRC).as_posix()
        if _allowed(rel, RAW_CALLS_ALLOWED):
            continue
        text = _strip_comments(path.read_text(encoding="utf-8"))
        found += [f"{rel}:{_line(text, m.start())}: {m.group(0).strip()}" for m in RAW_CALL.finditer(text)]
    assert not found, "call the API with client.GET/POST/... and call() of frontend/src/api:\n" + "\n".join(found)


def test_pages_declare_no_copies_of_the_generated_types() -> None:
    """Rule 2: a wire type is Schemas['X'] (or an alias of it), never an interface written again by hand."""
    names = _schema_names()
    assert {"Staff", "Complaint", "ScorecardView", "Board"} <= names  # the rule sees the document's names
    found = []
    for path in _sources():
        rel = path.relative_to(SRC).as_posix()
        if _allowed(rel, HAND_TYPES_ALLOWED):
            continue
        text = _strip_comments(path.read_text(encoding="utf-8"))
        for m in DECLARED.finditer(text):
            name = m.group(1) or m.group(2)
            if name in names and (rel, name) not in SAME_NAME_ALLOWED:
                found.append(f"{rel}:{_line(text, m.start())}: {name}")
    assert not found, "use the generated type (type X = Schemas['X']) instead of a copy:\n" + "\n".join(found)


def test_pages_read_server_state_through_tanstack_query() -> None:
    """Rule 3: no answer is put into component state by hand (.then(setX)); useQuery keys each answer."""
    found = []
    for path in _sources():
        rel = path.relative_to(SRC).as_posix()
        if _allowed(rel, STATE_BY_HAND_ALLOWED):
            continue
        text = _strip_comments(path.read_text(encoding="utf-8"))
        found += [f"{rel}:{_line(text, m.start())}: {m.group(0).strip()}" for m in THEN_SET.finditer(text)]
    assert not found, "read server state with useQuery (frontend/src/api/query.tsx):\n" + "\n".join(found)


def test_the_rules_catch_what_they_are_for() -> None:
    """The patterns themselves, on samples: a raw call, a copied type, an answer set by hand."""
    assert RAW_CALL.search("await fetch('/api/x')") and RAW_CALL.search("api.get<Staff[]>(path)")
    assert RAW_CALL.search("api\n      .post<X>(url, body)") and RAW_CALL.search("request<T>('GET', p)")
    assert not RAW_CALL.search("'{usedTimes} request(s) / limit'")
    assert not RAW_CALL.search("void query.refetch()") and not RAW_CALL.search("call(client.GET('/api/tenants'))")
    assert DECLARED.search("export interface Complaint {") and DECLARED.search("type Staff = {")
    assert not DECLARED.search("type Staff = Schemas['Staff'];")
    assert THEN_SET.search("x.then(setRows)") and THEN_SET.search("x.then((r) => setDays(r.days))")
    assert not THEN_SET.search("p.then((out) => queryClient.setQueryData(key, out))")
    assert not THEN_SET.search("write(body).then(() => { setText(''); load(); })")
