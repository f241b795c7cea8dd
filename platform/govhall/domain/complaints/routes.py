"""Every complaints and case-ledger route, for ``govhall.app.route_handlers``."""

from __future__ import annotations


def complaint_routes() -> list:
    from govhall.domain.complaints.controllers import CaseController, ComplaintController

    return [ComplaintController, CaseController]
