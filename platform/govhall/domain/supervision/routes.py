"""Every supervision route, for ``govhall.app.route_handlers``; hands the duty officer's earlier start to the
attendance evaluation (attendance never imports this domain)."""

from __future__ import annotations


def supervision_routes() -> list:
    from govhall.domain.supervision.controllers import (
        SupervisionController,  # imports rota: registers offsets
    )

    return [SupervisionController]
