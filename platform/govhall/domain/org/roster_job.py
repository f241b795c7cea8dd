"""The roster import as a background job (govhall.jobs): ``POST .../staff/import`` answers ``409
use_background_job`` when the file has more than ``sync_limits().roster_rows`` staff rows (``GOVHALL_JOB_ROSTER_ROWS``,
default 500); the page sends the same file to ``POST .../staff/import-job``, which reads and checks it like the
import (400 naming every wrong row) and starts the job ``staff.roster_import`` with the file. The job reads and
checks it again (the center may have changed meanwhile) and applies it in one transaction, reporting the rows
written (on PostgreSQL; SQLite's single writer holds the job row until the commit) (issue 16)."""

from __future__ import annotations

from govhall.authz.permissions import STAFF_WRITE
from govhall.domain.org.roster import apply_roster, check_roster, read_roster
from govhall.errors import AppError
from govhall.jobs.runner import JobContext, JobResult, register

ROSTER_IMPORT = "staff.roster_import"


async def _import(ctx: JobContext) -> JobResult:
    content = await ctx.input()
    if not content:
        raise AppError("job_input_missing", "任务的文件已不存在", "The job's file is gone", status=400)
    rows = await read_roster(content)  # off the event loop, within the upload limits
    async with ctx.session_factory() as session:
        checked = await check_roster(session, rows)
        await ctx.step(0, len(checked.clean))
        # SQLite has one writer: the job row cannot be updated while this transaction holds the write lock, so
        # there the rows written show only when it commits
        sqlite = session.get_bind().dialect.name == "sqlite"
        result = await apply_roster(session, checked, None if sqlite else ctx.step)
    await ctx.step(len(checked.clean), len(checked.clean))
    return JobResult(summary={"rows": len(checked.clean), "created": result.created, "updated": result.updated})


register(ROSTER_IMPORT, STAFF_WRITE, "花名册导入", "Roster import", _import, needs_input=True)
