"""One documented definition per figure, used by the report, the dashboard and the compliance board.

Every figure is a function of a `Scope` — which units, which period, and whether records are
counted on their units *as they were* or *mapped to today's units* — and runs aggregate SQL
(`Count`/`Sum` with `filter=Q(...)`, `GROUP BY`). No function loads records into Python: the
rows that come back are groups (one per unit, status, category, day…), so the cost stays
bounded at a million petitions. Pages and reports must never count records any other way; if a
page needs a new figure, add it here with its definition.

Scope and attribution
---------------------
* **As they were** (`AS_WAS`): a record is counted on the unit it carries (the unit as it was on
  the record's date). A scope rooted at a unit covers that unit and every unit below it, past
  and present (`AdministrativeUnit.path` startswith the root's path).
* **Mapped to today's units** (`TODAY`): a record of a unit that no longer exists is counted on
  the unit that took over its history: its *primary* successor (`UnitSuccession.is_primary`);
  when no successor is marked primary, the successor of the whole area, else the first successor
  recorded; the chain is followed until a unit that exists today. A unit abolished without any
  successor (a district in 2025) keeps its own records. The scope then covers the records of the
  root's subtree *and* every record whose today's unit lies in the root's subtree, so a report
  of the new Thượng Cát ward includes the history of Liên Mạc.

Periods are closed ranges of days, `start <= day <= end`, in the portal's time zone.

Modules, by job: `scope` (Scope, attribution, folding grouped rows), `conferences`, `petitions`,
`deadlines` (invitations and notices on time), `supervision`, `requirement` (required periodic
conferences), `workloads` (the dashboard's work in hand) and `summary`. The rules in force come
from `rules.book` (as SQL: `RuleBook.condition`), working days from `rules.workdays`. Callers import the package: `from reports import stats; stats.summary(...)`.
"""

from reports.stats.conferences import (
    NOT_HELD_GROUPS,
    conferences_held,
    conferences_not_held,
    held_conferences,
    held_q,
    opinions,
)
from reports.stats.deadlines import (
    invitation_on_time_conferences,
    invitations_on_time,
    notice_due_conferences,
    notice_on_time_conferences,
    notices_on_time,
)
from reports.stats.petitions import (
    answered_on_time,
    answered_petitions,
    average_days_to_answer,
    deadline_extensions,
    petitions_received,
    received_petitions,
    satisfaction,
)
from reports.stats.requirement import periodic_requirement, periodic_requirement_total, required_for
from reports.stats.scope import AS_WAS, LEVELS, MODES, TODAY, Scope, day_start, share, today_units_map
from reports.stats.summary import summary
from reports.stats.supervision import supervision_findings
from reports.stats.workloads import (
    PLAN_AWAITING_APPROVAL,
    UPCOMING_DAYS,
    awaiting_approval,
    conference_agenda,
    due_soon_until,
    handling_unit_workload,
    minutes_awaiting_approval,
    petition_workload,
    plan_progress,
    plans_awaiting_approval,
)

__all__ = [
    "AS_WAS",
    "LEVELS",
    "MODES",
    "NOT_HELD_GROUPS",
    "PLAN_AWAITING_APPROVAL",
    "TODAY",
    "UPCOMING_DAYS",
    "Scope",
    "answered_on_time",
    "answered_petitions",
    "average_days_to_answer",
    "awaiting_approval",
    "conference_agenda",
    "conferences_held",
    "conferences_not_held",
    "day_start",
    "deadline_extensions",
    "due_soon_until",
    "handling_unit_workload",
    "held_conferences",
    "held_q",
    "invitation_on_time_conferences",
    "invitations_on_time",
    "minutes_awaiting_approval",
    "notice_due_conferences",
    "notice_on_time_conferences",
    "notices_on_time",
    "opinions",
    "periodic_requirement",
    "periodic_requirement_total",
    "petition_workload",
    "petitions_received",
    "plan_progress",
    "plans_awaiting_approval",
    "received_petitions",
    "required_for",
    "satisfaction",
    "share",
    "summary",
    "supervision_findings",
    "today_units_map",
]
