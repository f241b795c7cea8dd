"""How a revoking route answers: 204 when every live worker confirmed the change, else 200 with a warning the
admin sees (the revoke is saved; a worker that did not confirm reads role assignments from the database on
every request until its policy listener is back, see ``govhall.bus``)."""

from __future__ import annotations

from litestar import Response
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.bus import PROPAGATION_KEY, Propagation
from govhall.schemas import CamelStruct


class Message(CamelStruct):
    zh: str
    en: str


class RevokeUnconfirmed(CamelStruct):
    """The answer (200) of a revoke that not every live worker confirmed."""

    confirmed: bool
    unconfirmed_workers: int
    code: str
    message: Message


def revoke_answer(session: AsyncSession) -> Response[RevokeUnconfirmed | None]:
    result: Propagation = session.info.pop(PROPAGATION_KEY, None) or Propagation()
    if result.confirmed:
        return Response(None, status_code=204)
    n = len(result.unconfirmed)
    return Response(RevokeUnconfirmed(
        confirmed=False, unconfirmed_workers=n, code="revoke_unconfirmed",
        message=Message(f"撤销已保存，但有 {n} 个服务进程未确认已生效；这些进程在重新连接前会逐次从数据库重新读取权限",
                        f"Revoked and saved, but {n} server process(es) did not confirm it; until they reconnect "
                        "they re-read permissions from the database on every request")), status_code=200)
