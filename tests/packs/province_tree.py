"""A province of our own with centers below it, for tests that save province-wide settings: the demo province is
shared by every test module, so a 2027 calendar saved there would leak into them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from govhall.domain.org.tenants import create_tenant
from govhall.tenancy import system_scope
from govhall.tenancy.models import Tenant, TenantLevel
from tests.attendance.centers import Center, make_center
from tests.packs.conftest import add_user


@dataclass
class Province:
    tenant: Tenant
    admin: str
    county: Center
    other_county: Center
    township: Center
    """Below ``county``."""

    @property
    def centers(self) -> list[Center]:
        return [self.county, self.other_county, self.township]


async def make_province(session: AsyncSession, demo: dict[str, Tenant]) -> Province:
    tag = uuid.uuid4().hex[:6]
    with system_scope():
        province = await create_tenant(session, name=f"测试省{tag}", level=TenantLevel.province,
                                       division_code=f"{100000 + int(tag, 16) % 800000:06d}-p{tag}", parent=None)
        await session.commit()
    admin = f"p{tag}_admin"
    await add_user(session, province, admin, "provincial_admin")  # before the centers: they inherit the grant
    county = await make_center(session, demo, parent=province)
    other = await make_center(session, demo, parent=province)
    township = await make_center(session, demo, parent=county.tenant, level=TenantLevel.township)
    return Province(province, admin, county, other, township)
