"""Demo data of the case ledger (``govhall demo``): service items of the county hall (000 篇七) and 罗田 (002, the
promised time at most half the legal one). Loading twice changes nothing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.domain.complaints.models import ServiceItem
from govhall.domain.org.models import Department
from govhall.tenancy import system_scope, tenant_scope
from govhall.tenancy.models import Tenant

ITEMS = {
    "421121": [  # county hall: (code, name, department, legal, promised, type)
        ("SJ001", "个体工商户设立登记", "县市场监督管理局", 15, 0, "immediate"),
        ("SJ002", "食品经营许可", "县市场监督管理局", 20, 10, "promised"),
        ("SJ003", "企业设立登记", "县市场监督管理局", 15, 3, "promised"),
        ("RS001", "社会保险登记", "县人社局", 10, 0, "immediate"),
        ("RS002", "失业保险金申领", "县人社局", 20, 5, "promised"),
    ],
    "421123": [  # 罗田: 承诺时限比法定时限缩短50%以上 (002 限时办结 2)
        ("BDC001", "不动产首次登记", "县不动产登记中心", 30, 10, "promised"),
        ("BDC002", "不动产抵押登记", "县不动产登记中心", 10, 3, "promised"),
        ("BDC003", "不动产登记资料查询", "县不动产登记中心", 5, 0, "immediate"),
    ],
}


async def seed(session: AsyncSession) -> list[str]:
    lines: list[str] = []
    for code, items in ITEMS.items():
        with system_scope():
            tenant = await session.scalar(select(Tenant).where(Tenant.division_code == code))
            await session.commit()
        if tenant is None:
            continue
        with tenant_scope(tenant.id):
            if await session.scalar(select(ServiceItem.id).limit(1)) is not None:
                await session.commit()
                continue
            depts = {d.name: d.id for d in await session.scalars(select(Department))}
            session.add_all(ServiceItem(code=c, name=n, department_id=depts.get(d), legal_days=legal,
                                        promised_days=promised, default_type=typ)
                            for c, n, d, legal, promised, typ in items)
            await session.commit()
        lines.append(f"{tenant.name}: {len(items)} service items")
    return lines
