"""Every supervision route, for ``govhall.app.route_handlers``; hands the duty officer's earlier start and the
approved outings to the attendance evaluation (attendance never imports this domain)."""

from __future__ import annotations


def supervision_routes() -> list:
    # importing the controllers imports rota and outings, which register the duty officer's earlier start and
    # the outings with the attendance evaluation
    from govhall.domain.supervision.controllers import SupervisionController

    return [SupervisionController]
