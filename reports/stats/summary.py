"""Every period figure for a scope, keyed by section."""

from __future__ import annotations

import datetime

from reports.stats.conferences import conferences_held, conferences_not_held, opinions
from reports.stats.deadlines import invitations_on_time, notices_on_time
from reports.stats.petitions import (
    answered_on_time,
    average_days_to_answer,
    deadline_extensions,
    petitions_received,
    satisfaction,
)
from reports.stats.requirement import periodic_requirement_total
from reports.stats.scope import Scope
from reports.stats.supervision import supervision_findings

# --- Everything for a period -----------------------------------------------------------------------


def summary(scope: Scope, *, today: datetime.date | None = None) -> dict:
    """Return every period figure for the scope, keyed by section. The report and the pages read this."""
    return {
        "conferences": conferences_held(scope),
        "conferences_not_held": conferences_not_held(scope),
        "opinions": opinions(scope),
        "petitions": petitions_received(scope),
        "answered_on_time": answered_on_time(scope),
        "extensions": deadline_extensions(scope),
        "days_to_answer": average_days_to_answer(scope),
        "satisfaction": satisfaction(scope),
        "invitations": invitations_on_time(scope),
        "notices": notices_on_time(scope, today=today),
        "supervision": supervision_findings(scope),
        "periodic_requirement": periodic_requirement_total(scope),
    }
