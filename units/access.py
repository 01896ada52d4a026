"""Who may do what: the one permission matrix (role × action → where the role may do it).

Every predicate in `*/permissions.py`, every template button, every admin action and every
service asks this table, through `allowed()` (a yes/no) or `require()` (raises
`ActionNotAllowed`). `tests/test_permission_matrix.py` writes the same table out by hand and
checks every cell through the services and over HTTP; `docs/permissions.md` is generated from
it (`manage.py permissions_doc`).

A cell says where a role holds the right:

- `OWN`: in the unit where the person holds the role (the ward official in their ward);
- `BELOW`: in that unit and every unit below it (the supervising official of the district in
  each of its wards, and in the district itself);
- `ASSIGNED`: on a petition assigned to the person's handling organisation, whatever its unit
  (a condition of its own: handling officers answer what is assigned to them);
- `NEVER`.

The roles follow the product brief (§2): a unit's own officials keep its records; its chair
approves what the unit issues (plan, minutes, notices — conclusions are approved with the
notice that carries them); handling officers answer what is assigned to their organisation;
supervising officials and Front supervisors read across their scope, record findings and
requests for correction (the `recommendation` of a finding, which the unit then acts on),
score compliance and build reports. They never change, approve or cancel a unit's records.

A supervising official's own unit (the district, the city since 2025) is no exception: the
supervisor role is "above" every unit it covers, its own included. The records of the
district or the city as a unit (its plan, its district-level conferences) are kept by that
unit's officials and approved by its chair; a person who does both holds both roles, as two
memberships. So nobody scores a record they wrote or approved under the supervisor role,
and a supervisor's rights do not depend on where in the tree their membership happens to sit.

The one write a supervising official has on a unit's records is the explicit transfer of an
abolished unit's open petitions to its successor (brief §4), which only someone above both
units can do.

Superusers (administrators) may do everything. A service called by the system or a citizen
(`by=None`: a task, the citizens' portal) says so explicitly at its call to `require`;
`require(None, …)` is refused.
"""

import enum

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from units.models import Role
from units.permissions import handling_org_ids, memberships_of


class Reach(enum.Flag):
    """Where a role may do an action (see the module docstring)."""

    NEVER = 0
    OWN = enum.auto()
    BELOW = enum.auto()
    ASSIGNED = enum.auto()


NEVER, OWN, BELOW, ASSIGNED = Reach.NEVER, Reach.OWN, Reach.BELOW, Reach.ASSIGNED

# The columns of the matrix, in this order.
ROLES = (Role.UNIT_OFFICIAL, Role.CHAIR, Role.HANDLING_OFFICER, Role.SUPERVISOR, Role.FRONT_SUPERVISOR)

# fmt: off
MATRIX: dict[str, tuple[Reach, Reach, Reach, Reach, Reach]] = {
    # action                       unit_official  chair  handling_officer    supervisor  front_supervisor
    # Plans
    "plan.view":                   (OWN,   OWN,   OWN,                BELOW, BELOW),
    "plan.create":                 (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "plan.edit":                   (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "plan.submit":                 (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "plan.approve":                (NEVER, OWN,   NEVER,              NEVER, NEVER),
    "plan.return":                 (NEVER, OWN,   NEVER,              NEVER, NEVER),
    "plan.start":                  (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "plan.complete":               (OWN,   OWN,   NEVER,              NEVER, NEVER),
    # Conferences
    "conference.view":             (OWN,   OWN,   OWN,                BELOW, BELOW),
    "conference.schedule":         (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "conference.edit":             (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "conference.announce":         (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "conference.postpone":         (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "conference.reschedule":       (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "conference.cancel":           (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "conference.record_held":      (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "conference.conclude":         (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "conference.close":            (OWN,   OWN,   NEVER,              NEVER, NEVER),
    # Minutes, opinions, conclusions, attachments
    "minutes.edit":                (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "minutes.approve":             (NEVER, OWN,   NEVER,              NEVER, NEVER),
    "opinion.record":              (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "conclusion.add":              (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "conclusion.edit":             (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "conclusion.mark_done":        (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "attachment.add":              (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "attachment.remove":           (OWN,   OWN,   NEVER,              NEVER, NEVER),
    # Petitions
    "petition.view":               (OWN,   OWN,   OWN | ASSIGNED,     BELOW, BELOW),
    "petition.view_contacts":      (OWN,   OWN,   ASSIGNED,           NEVER, NEVER),
    "petition.record":             (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "petition.edit":               (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "petition.accept":             (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "petition.reject":             (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "petition.merge":              (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "petition.assign":             (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "petition.transfer":           (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "petition.extend":             (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "petition.extend_after_due":   (NEVER, OWN,   NEVER,              NEVER, NEVER),
    "petition.answer":             (OWN,   OWN,   ASSIGNED,           NEVER, NEVER),
    "petition.resolve":            (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "petition.reopen":             (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "petition.anonymise":          (NEVER, NEVER, NEVER,              NEVER, NEVER),
    "petition.transfer_unit":      (NEVER, NEVER, NEVER,              BELOW, NEVER),
    # Follow-up notices
    "notice.view":                 (OWN,   OWN,   OWN,                BELOW, BELOW),
    "notice.draft":                (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "notice.edit":                 (OWN,   OWN,   NEVER,              NEVER, NEVER),
    "notice.approve":              (NEVER, OWN,   NEVER,              NEVER, NEVER),
    "notice.return":               (NEVER, OWN,   NEVER,              NEVER, NEVER),
    "notice.publish":              (NEVER, OWN,   NEVER,              NEVER, NEVER),
    "notice.record_posting":       (OWN,   OWN,   NEVER,              NEVER, NEVER),
    # Supervision, commendations, compliance and reports
    "supervision.view":            (OWN,   OWN,   OWN,                BELOW, BELOW),
    "supervision.record":          (NEVER, NEVER, NEVER,              BELOW, BELOW),
    "supervision.recheck":         (NEVER, NEVER, NEVER,              BELOW, BELOW),
    "commendation.record":         (NEVER, NEVER, NEVER,              BELOW, NEVER),
    "compliance.view":             (OWN,   OWN,   OWN,                BELOW, BELOW),
    "report.build":                (OWN,   OWN,   OWN,                BELOW, BELOW),
}
# fmt: on

# What each action is, as a phrase that completes "You may not …" (and the docs' first column).
ACTION_LABELS = {
    "plan.view": _("see the dialogue plans"),
    "plan.create": _("create a dialogue plan"),
    "plan.edit": _("change a draft plan"),
    "plan.submit": _("submit a plan for approval"),
    "plan.approve": _("approve a plan"),
    "plan.return": _("return a plan to draft"),
    "plan.start": _("mark a plan in progress"),
    "plan.complete": _("mark a plan completed"),
    "conference.view": _("see the conferences"),
    "conference.schedule": _("schedule a conference"),
    "conference.edit": _("change a conference"),
    "conference.announce": _("announce a conference"),
    "conference.postpone": _("postpone a conference"),
    "conference.reschedule": _("reschedule a postponed conference"),
    "conference.cancel": _("cancel a conference"),
    "conference.record_held": _("record that a conference was held"),
    "conference.conclude": _("mark a conference concluded"),
    "conference.close": _("close a conference"),
    "minutes.edit": _("write the minutes"),
    "minutes.approve": _("approve or lock the minutes"),
    "opinion.record": _("record the opinions raised at a conference"),
    "conclusion.add": _("add a conclusion item"),
    "conclusion.edit": _("correct or withdraw a conclusion item"),
    "conclusion.mark_done": _("mark a conclusion item carried out"),
    "attachment.add": _("attach a file to a conference"),
    "attachment.remove": _("remove a wrong attachment"),
    "petition.view": _("see the petitions"),
    "petition.view_contacts": _("see the petitioner's name and contacts"),
    "petition.record": _("record a petition"),
    "petition.edit": _("change a petition's description"),
    "petition.accept": _("accept a petition"),
    "petition.reject": _("reject a petition"),
    "petition.merge": _("merge a duplicate petition"),
    "petition.assign": _("assign a petition to a handling unit"),
    "petition.transfer": _("transfer a petition to another handling unit"),
    "petition.extend": _("extend a petition's deadline"),
    "petition.extend_after_due": _("extend a deadline that has already passed"),
    "petition.answer": _("answer a petition"),
    "petition.resolve": _("mark a petition resolved"),
    "petition.reopen": _("reopen a petition"),
    "petition.anonymise": _("erase a petitioner's personal data"),
    "petition.transfer_unit": _("transfer an abolished unit's open petitions to its successor"),
    "notice.view": _("see the follow-up notices"),
    "notice.draft": _("draft a follow-up notice"),
    "notice.edit": _("change a draft notice"),
    "notice.approve": _("approve a notice"),
    "notice.return": _("return a notice to draft"),
    "notice.publish": _("publish a notice"),
    "notice.record_posting": _("record where a notice was posted"),
    "supervision.view": _("see the supervision findings"),
    "supervision.record": _("record a supervision finding or a request for correction"),
    "supervision.recheck": _("record that a finding was re-checked"),
    "commendation.record": _("record a commendation decision"),
    "compliance.view": _("see the compliance board and the commendation shortlist"),
    "report.build": _("build a report"),
}

REACH_LABELS = {
    NEVER: _("never"),
    OWN: _("own unit"),
    BELOW: _("own unit and units below"),
    ASSIGNED: _("what is assigned to their organisation"),
    OWN | ASSIGNED: _("own unit, and what is assigned to their organisation"),
}


class ActionNotAllowed(PermissionDenied):
    """The actor may not do this action here (a 403 in a view, a message in the admin)."""

    def __init__(self, action: str, unit=None):
        self.action, self.unit = action, unit
        if unit is None:
            message = gettext("You may not %(action)s.") % {"action": ACTION_LABELS[action]}
        else:
            message = gettext("You may not %(action)s of %(unit)s.") % {"action": ACTION_LABELS[action], "unit": unit}
        self.message = message
        super().__init__(message)


def reach(role: str, action: str) -> Reach:
    """Return the cell of the matrix for `role` and `action` (KeyError for an unknown action)."""
    return MATRIX[action][ROLES.index(role)]


def roles_allowed(action: str) -> list[str]:
    """Return the roles whose cell for `action` is not NEVER (to filter memberships in one query)."""
    return [role for role, cell in zip(ROLES, MATRIX[action], strict=True) if cell]


def unit_ids_allowed(user, action: str) -> frozenset[int] | None:
    """Return the ids of the units where `user` may do `action` (None: every unit, for a superuser).

    For batch paths such as an import, which check many rows against one set; `ASSIGNED` cells
    add no unit.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    if user.is_superuser:
        return None
    from units.models import AdministrativeUnit

    ids: set[int] = set()
    for role, unit_id, path in memberships_of(user):
        cell = MATRIX[action][ROLES.index(role)] if role in ROLES else NEVER
        if cell & BELOW:
            ids.update(AdministrativeUnit.objects.filter(path__startswith=path).values_list("pk", flat=True))
        elif cell & OWN:
            ids.add(unit_id)
    return frozenset(ids)


def unit_of(obj):
    """Return the unit a record belongs to: its own, or that of its conference, plan or petition."""
    for attr in ("unit", "conference", "plan", "petition"):
        if getattr(obj, f"{attr}_id", None) is not None:
            related = getattr(obj, attr)
            return related if attr == "unit" else unit_of(related)
    return None


def _path_of(unit) -> str:
    if hasattr(unit, "path"):
        return unit.path
    from units.models import AdministrativeUnit

    return AdministrativeUnit.objects.values_list("path", flat=True).get(pk=unit)


def allowed(user, action: str, unit=None, *, obj=None) -> bool:
    """Return True if `user` may do `action` in `unit` (or on `obj`, whose unit is used when no unit is given).

    With neither a unit nor an object: return True if `user` may do `action` somewhere
    (to show a menu entry or a "new …" button). An unknown action raises KeyError.
    """
    row = MATRIX[action]
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if unit is None and obj is not None:
        unit = unit_of(obj)
    unit_id = getattr(unit, "pk", unit)
    for role, member_unit_id, member_path in memberships_of(user):
        if role not in ROLES:
            continue
        cell = row[ROLES.index(role)]
        if not cell:
            continue
        if unit is None and obj is None:
            return True
        if unit is not None and cell & OWN and member_unit_id == unit_id:
            return True
        if unit is not None and cell & BELOW and _path_of(unit).startswith(member_path):
            return True
        if cell & ASSIGNED and obj is not None:
            org_id = getattr(obj, "handling_org_id", None)
            if org_id is not None and org_id in handling_org_ids(user):
                return True
    return False


def require(user, action: str, unit=None, *, obj=None) -> None:
    """Raise `ActionNotAllowed` unless `user` may do `action` in `unit` (or on `obj`).

    Services call it first, inside their transaction, with their `by` actor; `None` (the
    system, a citizen) is refused: a service that a task or a citizen may call skips the call
    explicitly for `by=None`. Unlike `allowed`, it needs a unit or an object: "somewhere" is
    never enough to change a record.
    """
    if unit is None and obj is None and not getattr(user, "is_superuser", False):
        raise ActionNotAllowed(action)
    if not allowed(user, action, unit, obj=obj):
        raise ActionNotAllowed(action, unit if unit is not None else (unit_of(obj) if obj is not None else None))
