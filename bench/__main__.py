"""`python -m bench [--database-url URL]`: run every benchmark against a real server, print ratio tables.

Results also go to bench/results/latest.md. Ratios, not absolute numbers, are what to compare across machines.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path

from bench import (
    bench_assessment,
    bench_attendance,
    bench_authz,
    bench_hooks,
    bench_request_floor,
    bench_tree,
)
from bench.harness import server

BENCHES = [bench_request_floor, bench_attendance, bench_hooks, bench_assessment, bench_authz, bench_tree]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("GOVHALL_BENCH_DATABASE_URL"))
    parser.add_argument("--only", default="", help="comma-separated module names, e.g. bench_attendance, or bundle "
                        "(the login route's JavaScript, from the build manifest)")
    args = parser.parse_args()
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    out = []
    with server(args.database_url) as url:
        for bench in BENCHES:
            if only and bench.__name__.split(".")[-1] not in only:
                continue
            out.append(asyncio.run(bench.run(url)))
    if not only or "bundle" in only:
        from govhall.config import get_settings
        from govhall.system.bundle import report as bundle_report

        out.append(bundle_report(get_settings().static_dir))
        print(out[-1])
    results = Path(__file__).parent / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.md").write_text("\n".join(out), encoding="utf-8")


if __name__ == "__main__":
    main()
