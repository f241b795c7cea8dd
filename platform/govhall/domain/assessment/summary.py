"""Read-only score distribution of one center for the overview of the centers above it (issue 12, the province's
view): the latest closed or published assessment month's scorecards (百分制) in bands. In the caller's tenant scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.domain.assessment.models import AssessmentMonth, Scorecard

BANDS = ((90.0, "90+"), (80.0, "80-89"), (60.0, "60-79"), (float("-inf"), "<60"))
"""Lower bound (inclusive) and label, highest first."""


@dataclass(frozen=True)
class ScoreFigures:
    month: date
    state: str
    """closed or published."""
    count: int
    average: float
    lowest: float
    bands: dict[str, int]


def band(total: float) -> str:
    return next(label for low, label in BANDS if total >= low)


async def score_figures(session: AsyncSession) -> ScoreFigures | None:
    """None while no month has been closed."""
    row = await session.scalar(select(AssessmentMonth).where(AssessmentMonth.status.in_(("closed", "published")))
                               .order_by(AssessmentMonth.month.desc()).limit(1))
    if row is None:
        return None
    totals = list((await session.scalars(select(Scorecard.total).where(Scorecard.month == row.month))).all())
    bands = {label: 0 for _low, label in BANDS}
    for t in totals:
        bands[band(t)] += 1
    return ScoreFigures(month=row.month, state=row.status, count=len(totals),
                        average=round(sum(totals) / len(totals), 1) if totals else 0.0,
                        lowest=min(totals, default=0.0), bands=bands)
