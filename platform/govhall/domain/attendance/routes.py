"""Every attendance route, for ``govhall.app.route_handlers``."""

from __future__ import annotations


def attendance_routes() -> list:
    from govhall.domain.attendance.bench_routes import ENABLED, bench_bare_insert
    from govhall.domain.attendance.controllers import AttendanceController, CorrectionController
    from govhall.domain.attendance.device_api import device_punches
    from govhall.domain.attendance.iclock import ICLOCK_ROUTES

    return [AttendanceController, CorrectionController, device_punches, *ICLOCK_ROUTES, *([bench_bare_insert] if ENABLED else [])]
