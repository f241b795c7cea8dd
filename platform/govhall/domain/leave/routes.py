"""Every leave route, for ``govhall.app.route_handlers``."""

from __future__ import annotations


def leave_routes() -> list:
    import govhall.domain.leave.files  # noqa: F401  (registers who may read leave files)
    from govhall.domain.leave.controllers import LeaveController

    return [LeaveController]
