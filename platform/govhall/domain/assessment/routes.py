"""Every assessment route, for ``govhall.app.route_handlers``; registers the file reader for evidence."""

from __future__ import annotations


def assessment_routes() -> list:
    from govhall.domain.assessment.controllers import AssessmentController
    from govhall.domain.assessment.files import register_evidence_reader

    register_evidence_reader()
    return [AssessmentController]
