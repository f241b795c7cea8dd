"""Who may read assessment evidence (purposes ``assessment.*``) in the tenant file store: whoever may see a
record, appeal or return case that names the file (the uploader and center admins always may)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.domain.assessment.models import Appeal, BonusRecord, ReturnCase, ViolationRecord
from govhall.domain.org.models import Staff
from govhall.domain.org.rules import scope_for


async def can_read(session: AsyncSession, user: Any, roles: Any, f: Any) -> bool:
    fid = str(f.id)
    own = await session.get(Staff, user.staff_id) if getattr(user, "staff_id", None) else None
    scope = scope_for(set(roles), own)
    like = f"%{fid}%"
    for model in (ViolationRecord, BonusRecord, Appeal):
        stmt = select(model.staff_id).where(cast(model.evidence, String).like(like)).limit(20)
        for (sid,) in (await session.execute(stmt)).all():
            if sid is None:
                if scope.everyone:
                    return True
                continue
            if scope.allows(await session.get(Staff, sid)):
                return True
    case = await session.scalar(select(ReturnCase.id).where(or_(ReturnCase.scan_file_id == fid)))
    return case is not None and scope.everyone


def register_evidence_reader() -> None:
    from govhall.files.services import register_reader

    register_reader("assessment.", can_read)
