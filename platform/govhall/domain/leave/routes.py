"""Every leave route, for ``govhall.app.route_handlers``."""

from __future__ import annotations


def leave_routes() -> list:
    from govhall.domain.leave.controllers import LeaveController

    return [LeaveController]
