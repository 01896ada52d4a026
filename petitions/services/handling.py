"""How a petition is handled: assigned or transferred to an organisation that serves its unit, its deadline
extended (after the due date only by the chair), answered with evidence, resolved, reopened."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from audit.transitions import TransitionNotAllowed, check_transition
from petitions.models import (
    ANSWERED_STATUSES,
    OPEN_STATUSES,
    PETITION_TRANSITIONS,
    Answer,
    AnswerTemplate,
    Assignment,
    AssignmentKind,
    Extension,
    Petition,
    PetitionStatus,
)
from units.access import ActionNotAllowed, require
from units.models import AdministrativeUnit, Organisation, Role
from units.permissions import has_role

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import User
    from django.core.files import File

from petitions.services.common import _changed, _locked, _set_status, answer_due_date

# An answered or resolved petition goes back to work only through `reopen_petition`, with a reason.
ASSIGNABLE_STATUSES = (PetitionStatus.ACCEPTED, PetitionStatus.IN_PROGRESS, PetitionStatus.TRANSFERRED)


def _assign(
    petition: Petition,
    *,
    organisation: Organisation,
    by: User,
    kind: str,
    due_on: datetime.date | None = None,
    note: str = "",
    assignee: User | None = None,
    ip: str | None = None,
) -> Petition:
    require(by, "petition.transfer" if kind == AssignmentKind.TRANSFER else "petition.assign", obj=petition)
    if not organisation.serves(petition.unit):
        raise TransitionNotAllowed(
            _("%(org)s does not serve %(unit)s: choose a handling unit of the petition's unit or of a unit above it.")
            % {"org": organisation, "unit": petition.unit}
        )
    target = PetitionStatus.TRANSFERRED if kind == AssignmentKind.TRANSFER else PetitionStatus.IN_PROGRESS
    if petition.status not in ASSIGNABLE_STATUSES:
        raise TransitionNotAllowed(
            _("Only an accepted petition still being handled can be assigned; reopen an answered one first.")
        )
    # Check first, so that a forbidden assignment writes no Assignment row even outside a transaction.
    check_transition(PETITION_TRANSITIONS, petition.status, target, what=_("The petition"), choices=PetitionStatus)
    today = timezone.localdate()
    due_on = due_on or answer_due_date(unit=petition.unit, start=today)
    if due_on < today:
        raise TransitionNotAllowed(_("The due date cannot be in the past."))
    now = timezone.now()
    petition.assignments.filter(ended_at__isnull=True).update(ended_at=now)
    Assignment.objects.create(
        petition=petition,
        kind=kind,
        organisation=organisation,
        due_on=due_on,
        note=note,
        assigned_by=by,
        assigned_at=now,
    )
    petition.handling_org = organisation
    petition.assignee = assignee
    petition.due_on = due_on
    if petition.original_due_on is None:
        petition.original_due_on = due_on
    return _set_status(
        petition,
        target,
        by=by,
        ip=ip,
        action="assigned" if kind == AssignmentKind.ASSIGN else "transferred",
        note=note,
        extra_fields=["handling_org", "assignee", "due_on", "original_due_on"],
        data={"organisation": organisation.pk, "organisation_name": organisation.name, "due_on": due_on.isoformat()},
    )


@transaction.atomic
def assign_petition(
    *,
    petition: Petition,
    organisation: Organisation,
    by: User,
    due_on: datetime.date | None = None,
    note: str = "",
    assignee: User | None = None,
    ip: str | None = None,
) -> Petition:
    """Assign an accepted petition to a handling unit; the due date defaults to the rule in force, in working days."""
    return _assign(
        _locked(petition),
        organisation=organisation,
        by=by,
        kind=AssignmentKind.ASSIGN,
        due_on=due_on,
        note=note,
        assignee=assignee,
        ip=ip,
    )


@transaction.atomic
def transfer_petition(
    *,
    petition: Petition,
    organisation: Organisation,
    by: User,
    note: str,
    due_on: datetime.date | None = None,
    ip: str | None = None,
) -> Petition:
    """Transfer a petition to another handling unit (a reason is required)."""
    if not note.strip():
        raise TransitionNotAllowed(_("Give the reason for the transfer."))
    return _assign(
        _locked(petition),
        organisation=organisation,
        by=by,
        kind=AssignmentKind.TRANSFER,
        due_on=due_on,
        note=note,
        ip=ip,
    )


def handling_units_for(*units: AdministrativeUnit) -> QuerySet[Organisation]:
    """Return the active handling units that serve `units` (theirs and those of the units above them)."""
    return Organisation.objects.serving(*units).select_related("unit")


def split_by_service(
    *, petitions: Iterable[Petition], organisation: Organisation
) -> tuple[list[Petition], list[Petition]]:
    """Return (the petitions `organisation` serves, those it does not): who a bulk assignment may reach."""
    petitions = list(petitions)
    eligible = [p for p in petitions if organisation.serves(p.unit)]
    return eligible, [p for p in petitions if not organisation.serves(p.unit)]


def answer_templates_for(petition: Petition) -> QuerySet[AnswerTemplate]:
    """Return the answer templates offered for `petition`: national ones, its unit's and those above, for its
    category or for any."""
    return AnswerTemplate.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=petition.unit.ancestor_ids())).filter(
        Q(category__isnull=True) | Q(category_id=petition.category_id)
    )


@transaction.atomic
def bulk_assign(
    *,
    petitions: Iterable[Petition],
    organisation: Organisation,
    by: User,
    due_on: datetime.date | None = None,
    ip: str | None = None,
) -> tuple[int, list]:
    """Assign several petitions at once. Return (number assigned, [(petition, error message), …]).

    Each petition is assigned by `assign_petition`, so the actor and "serves this unit" are checked
    for each one; a refused petition is reported and the others go on."""
    done, errors = 0, []
    for petition in petitions:
        try:
            with transaction.atomic():
                assign_petition(petition=petition, organisation=organisation, by=by, due_on=due_on, ip=ip)
            done += 1
        except TransitionNotAllowed as exc:
            errors.append((petition, str(exc)))
        except ActionNotAllowed as exc:
            errors.append((petition, exc.message))
    return done, errors


@transaction.atomic
def extend_deadline(
    *, petition: Petition, new_due_on: datetime.date, reason: str, by: User, ip: str | None = None
) -> Petition:
    """Extend an open petition's due date with a reason.

    Asked for before the due date, the extension moves the deadline in force (the petition is not
    overdue until the new date). Asked for after the due date, only the unit's chair may grant it
    (a ward official is refused), and the petition stays overdue until answered (`missed_due_on`).
    Either way the original deadline (`original_due_on`) is kept and decides "answered on time".
    """
    petition = _locked(petition)
    require(by, "petition.extend", obj=petition)
    if petition.status not in OPEN_STATUSES or petition.due_on is None:
        raise TransitionNotAllowed(_("Only an open petition with a due date can be extended."))
    if not reason.strip():
        raise TransitionNotAllowed(_("A reason is required to extend the deadline."))
    if new_due_on <= petition.due_on:
        raise TransitionNotAllowed(_("The new due date must be later than the current one."))
    today = timezone.localdate()
    late = petition.due_on < today
    # A rule of its own, beside the general actor check: once the deadline has passed, extending it
    # is the chair's decision, not the ward official's.
    if late and not has_role(by, Role.CHAIR, unit=petition.unit):
        raise TransitionNotAllowed(
            _(
                "The deadline passed on %(date)s: only the unit's chair can extend it now, with a reason. "
                "The petition stays counted as overdue and late."
            )
            % {"date": petition.due_on.strftime("%d/%m/%Y")}
        )
    Extension.objects.create(
        petition=petition, previous_due_on=petition.due_on, new_due_on=new_due_on, reason=reason, extended_by=by
    )
    previous = petition.due_on
    petition.due_on = new_due_on
    fields = ["due_on", "updated_at"]
    if petition.original_due_on is None:
        petition.original_due_on = previous
        fields.append("original_due_on")
    if late and petition.missed_due_on is None:
        petition.missed_due_on = previous
        fields.append("missed_due_on")
    petition.save(update_fields=fields)
    record_event(
        obj=petition,
        action="extended",
        by=by,
        ip=ip,
        note=reason,
        data={"from": previous.isoformat(), "to": new_due_on.isoformat(), "after_due_date": late},
    )
    _changed(petition, "extended", by)
    return petition


@transaction.atomic
def answer_petition(
    *,
    petition: Petition,
    text: str,
    document_number: str,
    document_date: datetime.date,
    by: User,
    evidence: File | None = None,
    ip: str | None = None,
) -> Answer:
    """Answer a petition in writing, with its evidence: the document's number and date (required) and a file."""
    if not text.strip():
        raise TransitionNotAllowed(_("The answer cannot be empty."))
    if not document_number.strip() or document_date is None:
        raise TransitionNotAllowed(_("A written answer needs the number and date of its document."))
    petition = _locked(petition)
    require(by, "petition.answer", obj=petition)
    check_transition(
        PETITION_TRANSITIONS, petition.status, PetitionStatus.ANSWERED, what=_("The petition"), choices=PetitionStatus
    )
    answer = Answer.objects.create(
        petition=petition,
        text=text,
        document_number=document_number,
        document_date=document_date,
        evidence=evidence or "",
        answered_by=by,
    )
    petition.answered_on = timezone.localdate()
    _set_status(
        petition,
        PetitionStatus.ANSWERED,
        by=by,
        ip=ip,
        action="answered",
        extra_fields=["answered_on"],
        data={"answer": answer.pk, "document_number": document_number},
    )
    return answer


@transaction.atomic
def mark_resolved(*, petition: Petition, by: User, ip: str | None = None, note: str = "") -> Petition:
    """Mark an answered petition resolved (needs evidence: a written answer or one given on the spot)."""
    petition = _locked(petition)
    require(by, "petition.resolve", obj=petition)
    if not petition.answers.exists():
        raise TransitionNotAllowed(_("A petition can be marked resolved only once it has an answer."))
    petition.resolved_at = timezone.now()
    return _set_status(
        petition, PetitionStatus.RESOLVED, by=by, ip=ip, action="resolved", note=note, extra_fields=["resolved_at"]
    )


@transaction.atomic
def reopen_petition(
    *, petition: Petition, reason: str, by: User | None = None, ip: str | None = None, actor_label: str = ""
) -> Petition:
    """Reopen an answered or resolved petition (by an official, or by the citizen's "not resolved")."""
    petition = _locked(petition)
    if by is not None:  # None: the citizen's "not resolved" (record_verdict)
        require(by, "petition.reopen", obj=petition)
    if not reason.strip():
        raise TransitionNotAllowed(_("A reason is required to reopen a petition."))
    if petition.status not in ANSWERED_STATUSES:
        # The table also allows in_progress → in_progress (a reassignment); reopening needs an answer first.
        raise TransitionNotAllowed(
            _("Only an answered or resolved petition can be reopened."), current=petition.status, target="in_progress"
        )
    today = timezone.localdate()
    petition.reopened_count += 1
    petition.resolved_at = None
    petition.answered_on = None
    # A reopened petition starts a new round with a new deadline of its own (not an extension).
    petition.due_on = petition.original_due_on = answer_due_date(unit=petition.unit, start=today)
    petition.missed_due_on = None
    return _set_status(
        petition,
        PetitionStatus.IN_PROGRESS,
        by=by,
        ip=ip,
        action="reopened",
        note=reason,
        extra_fields=["reopened_count", "resolved_at", "answered_on", "due_on", "original_due_on", "missed_due_on"],
        actor_label=actor_label,
    )
