"""Every state change of a petition. Views, the admin and tasks call these; nothing else sets a status.

Each function takes keyword-only arguments, runs in one transaction, refuses an actor the
permission matrix (`units.access`) does not allow, checks `PETITION_TRANSITIONS`, writes an audit event (who, when, what, from which address) and sends
`petition_changed`, whose receivers (notifications) write their outbox rows in the same
transaction — so a request never depends on the broker.
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from audit.services import record_event
from audit.transitions import TransitionNotAllowed, check_transition
from petitions.codes import new_tracking_code
from petitions.models import (
    ANSWERED_STATUSES,
    OPEN_STATUSES,
    PETITION_TRANSITIONS,
    ROUTED_OUT_KINDS,
    Answer,
    AnswerTemplate,
    Assignment,
    AssignmentKind,
    Channel,
    CitizenVerdict,
    Extension,
    Petition,
    PetitionAttachment,
    PetitionKind,
    PetitionStatus,
    RejectionReason,
    Verdict,
)
from rules.book import value_on as rule_value_on
from rules.models import RuleKey
from rules.workdays import add_working_days
from units.access import ActionNotAllowed, require
from units.models import AdministrativeUnit, Organisation, Role
from units.permissions import has_role

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from django.contrib.auth.models import User
    from django.core.files import File
    from django_stubs_ext import StrPromise

    from conferences.models import ConclusionItem, Conference
    from petitions.models import Category

logger = logging.getLogger(__name__)

# Sent after a petition changed: sender=Petition, petition=, action=, by=. Receivers run inside
# the service's transaction; they must only write rows (an outbox), never call the network.
petition_changed = Signal()

CITIZEN = "citizen"


def _changed(petition: Petition, action: str, by: User | None = None, **extra: Any) -> None:
    petition_changed.send(sender=Petition, petition=petition, action=action, by=by, **extra)


def answer_due_date(*, unit: AdministrativeUnit, start: datetime.date) -> datetime.date:
    """Return the answer deadline for a petition of `unit` assigned on `start`, in working days."""
    return add_working_days(start, rule_value_on(RuleKey.ANSWER_WORKING_DAYS, start, unit.level))


def acknowledgement_due_date(*, unit: AdministrativeUnit, start: datetime.date) -> datetime.date:
    """Return the acknowledgement deadline for a petition of `unit` received on `start`."""
    return add_working_days(start, rule_value_on(RuleKey.ACKNOWLEDGEMENT_WORKING_DAYS, start, unit.level))


def _set_status(
    petition: Petition,
    status: str,
    *,
    by: User | None,
    ip: str | None = None,
    note: str = "",
    action: str | None = None,
    extra_fields: Iterable[str] = (),
    data: dict[str, Any] | None = None,
    actor_label: str = "",
) -> Petition:
    check_transition(PETITION_TRANSITIONS, petition.status, status, what=_("The petition"), choices=PetitionStatus)
    previous = petition.status
    petition.status = status
    petition.save(update_fields=["status", "updated_at", *extra_fields])
    record_event(
        obj=petition,
        action=action or f"status:{status}",
        by=by,
        ip=ip,
        from_status=previous,
        to_status=status,
        note=note,
        data=data,
        actor_label=actor_label,
    )
    _changed(petition, action or status, by)
    return petition


def _locked(petition: Petition) -> Petition:
    return Petition.objects.select_related("unit").select_for_update().get(pk=petition.pk)


def _unique_code() -> str:
    for _attempt in range(10):
        code = new_tracking_code()
        if not Petition.objects.filter(tracking_code=code).exists():
            return code
    raise IntegrityError("could not draw a unique tracking code")


def _raised_at(conference: Conference) -> datetime.datetime:
    """Return when an opinion at `conference` was raised: the day it was held, at the time it started
    (actual, else planned), never later than now."""
    start = conference.actual_start or conference.planned_start
    at = timezone.make_aware(datetime.datetime.combine(conference.held_on, timezone.localtime(start).time()))  # type: ignore[arg-type]
    return min(at, timezone.now())


@sensitive_variables("petitioner_name", "petitioner_phone", "petitioner_email", "petitioner_address")
@transaction.atomic
def submit_petition(
    *,
    unit: AdministrativeUnit,
    kind: str,
    category: Category,
    title: str,
    content: str,
    petitioner_name: str = "",
    petitioner_phone: str = "",
    petitioner_email: str = "",
    petitioner_address: str = "",
    show_name_publicly: bool = False,
    consent: bool,
    location: str = "",
    channel: str = Channel.ONLINE,
    requested_conference: Conference | None = None,
    attachments: Iterable[tuple[File, str]] = (),
    by: User | None = None,
    ip: str | None = None,
) -> Petition:
    """Receive a petition (online from a citizen, or entered by an official). Return it with its tracking code.

    `attachments` are (uploaded_file, content_type) pairs already checked by the form. Complaints
    and denunciations are not filed here: the citizens' form explains the other procedure.
    """
    if by is not None:  # None: a citizen submitting online, or the system
        require(by, "petition.record", unit)
    if kind in ROUTED_OUT_KINDS and channel == Channel.ONLINE:
        raise TransitionNotAllowed(_("Complaints and denunciations follow another procedure and are not filed here."))
    if channel == Channel.ONLINE and not consent:
        raise TransitionNotAllowed(_("Consent to the processing of personal data is required."))
    now = timezone.now()
    petition = Petition.objects.create(
        tracking_code=_unique_code(),
        unit=unit,
        kind=kind,
        category=category,
        channel=channel,
        title=title,
        content=content,
        location=location,
        petitioner_name=petitioner_name,
        petitioner_phone=petitioner_phone,
        petitioner_email=petitioner_email,
        petitioner_address=petitioner_address,
        show_name_publicly=show_name_publicly,
        consent_given_at=now if consent else None,
        requested_conference=requested_conference,
        submitted_at=now,
        acknowledgement_due_on=acknowledgement_due_date(unit=unit, start=timezone.localdate(now)),
    )
    petition.due_on = petition.acknowledgement_due_on
    petition.save(update_fields=["due_on"])
    for upload, content_type in attachments:
        PetitionAttachment.objects.create(
            petition=petition,
            file=upload,
            original_name=upload.name[:255],  # type: ignore[index]
            content_type=content_type,
            size=upload.size,
        )
    record_event(
        obj=petition,
        action="submitted",
        by=by,
        ip=ip,
        to_status=petition.status,
        actor_label="" if by else CITIZEN,
        data={"channel": channel},
    )
    _changed(petition, "submitted", by)
    return petition


@transaction.atomic
def record_conference_opinion(
    *,
    conference: Conference,
    kind: str,
    category: Category,
    title: str,
    content: str,
    by: User,
    petitioner_name: str = "",
    petitioner_phone: str = "",
    petitioner_address: str = "",
    answer_on_spot: str = "",
    ip: str | None = None,
) -> Petition:
    """Record an opinion raised at a held conference as a petition (channel "at a conference").

    It is accepted at once; when the chair answered it on the spot, that answer is recorded too.
    """
    from conferences.models import HELD_STATUSES

    require(by, "opinion.record", conference.unit)
    if conference.status not in HELD_STATUSES:
        raise TransitionNotAllowed(_("Opinions can be recorded only for a conference that was held."))
    held_at = _raised_at(conference)
    petition = Petition.objects.create(
        tracking_code=_unique_code(),
        unit=conference.unit,
        kind=kind,
        category=category,
        channel=Channel.CONFERENCE,
        title=title,
        content=content,
        petitioner_name=petitioner_name,
        petitioner_phone=petitioner_phone,
        petitioner_address=petitioner_address,
        conference=conference,
        submitted_at=held_at,
        status=PetitionStatus.ACCEPTED,
        accepted_at=held_at,
    )
    record_event(
        obj=petition,
        action="raised_at_conference",
        by=by,
        ip=ip,
        to_status=petition.status,
        data={"conference": conference.pk},
    )
    if kind in ROUTED_OUT_KINDS:
        reason = RejectionReason.COMPLAINT if kind == PetitionKind.COMPLAINT else RejectionReason.DENUNCIATION
        return reject_petition(
            petition=petition,
            reason=reason,
            by=by,
            ip=ip,
            note=_("Recorded at the conference and routed to the competent procedure."),
        )
    if answer_on_spot.strip():
        Answer.objects.create(petition=petition, text=answer_on_spot, on_spot=True, answered_by=by, answered_at=held_at)
        petition.answered_on = conference.held_on
        _set_status(
            petition,
            PetitionStatus.ANSWERED_ON_SPOT,
            by=by,
            ip=ip,
            action="answered_on_spot",
            extra_fields=["answered_on"],
        )
    else:
        petition.due_on = petition.original_due_on = answer_due_date(unit=petition.unit, start=conference.held_on)  # type: ignore[arg-type]
        petition.save(update_fields=["due_on", "original_due_on"])
    return petition


@transaction.atomic
def answer_on_spot(*, petition: Petition, conference: Conference, text: str, by: User, ip: str | None = None) -> Answer:
    """Record that the chair answered an existing petition at a held conference (e.g. one a citizen asked
    to raise there). The conference must belong to the petition's unit and have been held."""
    from conferences.models import HELD_STATUSES

    if not text.strip():
        raise TransitionNotAllowed(_("The answer cannot be empty."))
    if conference.status not in HELD_STATUSES or conference.held_on is None:
        raise TransitionNotAllowed(_("Opinions can be recorded only for a conference that was held."))
    petition = _locked(petition)
    require(by, "opinion.record", petition.unit)
    if conference.unit_id != petition.unit_id:
        raise TransitionNotAllowed(_("The conference must be one of the petition's unit."))
    check_transition(
        PETITION_TRANSITIONS,
        petition.status,
        PetitionStatus.ANSWERED_ON_SPOT,
        what=_("The petition"),
        choices=PetitionStatus,
    )
    held_at = _raised_at(conference)
    answer = Answer.objects.create(petition=petition, text=text, on_spot=True, answered_by=by, answered_at=held_at)
    petition.conference = conference
    petition.answered_on = conference.held_on
    if petition.accepted_at is None:
        petition.accepted_at = held_at
    _set_status(
        petition,
        PetitionStatus.ANSWERED_ON_SPOT,
        by=by,
        ip=ip,
        action="answered_on_spot",
        extra_fields=["conference", "answered_on", "accepted_at"],
        data={"answer": answer.pk},
    )
    return answer


# What an official may correct in a petition's description (the admin's change form). The status,
# dates, unit and handling unit change only through the services above and below.
PETITION_EDITABLE_FIELDS = (
    "kind",
    "category",
    "channel",
    "title",
    "content",
    "location",
    "show_name_publicly",
    "conference",
    "requested_conference",
)
# The petitioner's contacts: typed by whoever enters the petition; corrected later only by an administrator.
PETITION_CONTACT_FIELDS = ("petitioner_name", "petitioner_phone", "petitioner_email", "petitioner_address")


@transaction.atomic
def update_petition(
    *,
    petition: Petition,
    by: User,
    ip: str | None = None,
    conclusion_items: Iterable[ConclusionItem] | None = None,
    **fields: Any,
) -> Petition:
    """Correct a petition's description (kind, category, title, text, links), with a history row.

    Only an administrator corrects the petitioner's contacts. The conference and the conclusion
    items must be of the petition's own unit.
    """
    petition = _locked(petition)
    require(by, "petition.edit", obj=petition)
    editable = set(PETITION_EDITABLE_FIELDS) | (set(PETITION_CONTACT_FIELDS) if by.is_superuser else set())
    unknown = set(fields) - editable
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    for name in ("conference", "requested_conference"):
        linked = fields.get(name)
        if linked is not None and linked.unit_id != petition.unit_id:
            raise TransitionNotAllowed(_("The conference must be one of the petition's unit."))
    changed = [name for name, value in fields.items() if getattr(petition, name) != value]
    for name in changed:
        setattr(petition, name, fields[name])
    if changed:
        petition.save(update_fields=[*changed, "updated_at"])
    if conclusion_items is not None:
        items = list(conclusion_items)
        if any(item.conference.unit_id != petition.unit_id for item in items):
            raise TransitionNotAllowed(_("A conclusion item of another unit cannot settle this petition."))
        if {i.pk for i in items} != set(petition.conclusion_items.values_list("pk", flat=True)):
            petition.conclusion_items.set(items)
            changed.append("conclusion_items")
    if changed:
        record_event(obj=petition, action="edited", by=by, ip=ip, data={"fields": changed})
    return petition


@transaction.atomic
def accept_petition(*, petition: Petition, by: User, ip: str | None = None) -> Petition:
    """Accept a received petition; the answer deadline starts counting today."""
    petition = _locked(petition)
    require(by, "petition.accept", obj=petition)
    fields = ["accepted_at", "due_on", "original_due_on"]
    if petition.status == PetitionStatus.REJECTED:
        # Taking a rejected petition back: it is no longer rejected, nor merged into another.
        petition.rejection_reason, petition.rejection_note, petition.duplicate_of = "", "", None
        fields += ["rejection_reason", "rejection_note", "duplicate_of"]
    petition.accepted_at = timezone.now()
    petition.due_on = petition.original_due_on = answer_due_date(unit=petition.unit, start=timezone.localdate())
    return _set_status(petition, PetitionStatus.ACCEPTED, by=by, ip=ip, action="accepted", extra_fields=fields)


ROUTING_GUIDANCE: dict[str, StrPromise] = {
    RejectionReason.COMPLAINT: gettext_lazy(
        "Your petition is a complaint (khiếu nại). It is handled under the Law on "
        "Complaints: please send it to the agency whose decision or action you are complaining about."
    ),
    RejectionReason.DENUNCIATION: gettext_lazy(
        "Your petition is a denunciation (tố cáo). It is handled under the Law on "
        "Denunciations: please send it to the competent inspectorate or the head of the agency concerned."
    ),
}


@transaction.atomic
def reject_petition(
    *,
    petition: Petition,
    reason: str,
    by: User,
    note: str = "",
    duplicate_of: Petition | None = None,
    ip: str | None = None,
) -> Petition:
    """Reject a petition with a reason. Complaints and denunciations are routed out with guidance;
    a duplicate is merged into its original (`duplicate_of` required)."""
    petition = _locked(petition)
    require(by, "petition.reject", obj=petition)
    if reason not in RejectionReason.values:
        raise TransitionNotAllowed(_("Choose a reason for the rejection."))
    fields = ["rejection_reason", "rejection_note"]
    if reason == RejectionReason.DUPLICATE:
        if duplicate_of is None:
            raise TransitionNotAllowed(_("Choose the original petition this one duplicates."))
        if duplicate_of.pk == petition.pk or duplicate_of.duplicate_of_id == petition.pk:
            raise TransitionNotAllowed(_("A petition cannot be merged into itself."))
        petition.duplicate_of = duplicate_of.duplicate_of or duplicate_of
        fields.append("duplicate_of")
    if reason in (RejectionReason.UNCLEAR, RejectionReason.NOT_COMPETENT) and not note.strip():
        raise TransitionNotAllowed(_("Explain the reason to the citizen."))
    petition.rejection_reason = reason
    petition.rejection_note = note or str(ROUTING_GUIDANCE.get(reason, ""))
    petition.due_on = None
    fields.append("due_on")
    return _set_status(
        petition,
        PetitionStatus.REJECTED,
        by=by,
        ip=ip,
        action="rejected",
        note=petition.rejection_note,
        extra_fields=fields,
        data={"reason": reason, "duplicate_of": petition.duplicate_of_id},
    )


def merge_petition(*, petition: Petition, into: Petition, by: User, ip: str | None = None) -> Petition:
    """Merge a duplicate `petition` into its original `into`."""
    require(by, "petition.merge", obj=petition)
    return reject_petition(
        petition=petition,
        reason=RejectionReason.DUPLICATE,
        duplicate_of=into,
        by=by,
        ip=ip,
        note=_("Merged into petition %(code)s.") % {"code": into.display_code},
    )


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


@transaction.atomic
def record_verdict(
    *, petition: Petition, verdict: str, rating: int | None = None, comment: str = "", ip: str | None = None
) -> CitizenVerdict:
    """Record the citizen's verdict on the answer. "Not resolved" reopens the petition and alerts the unit."""
    petition = _locked(petition)
    if petition.status not in (PetitionStatus.ANSWERED, PetitionStatus.ANSWERED_ON_SPOT, PetitionStatus.RESOLVED):
        raise TransitionNotAllowed(_("A verdict can be given only once the petition has been answered."))
    if verdict not in Verdict.values:
        raise TransitionNotAllowed(_("Choose resolved or not resolved."))
    if rating is not None and not 1 <= rating <= 5:
        raise TransitionNotAllowed(_("The rating must be between 1 and 5."))
    latest_answer = petition.answers.order_by("-answered_at").first()
    if latest_answer and CitizenVerdict.objects.filter(petition=petition, answer=latest_answer).exists():
        raise TransitionNotAllowed(_("You have already given your verdict on this answer."))
    given = CitizenVerdict.objects.create(
        petition=petition, answer=latest_answer, verdict=verdict, rating=rating, comment=comment
    )
    petition.verdict, petition.rating, petition.verdict_at = verdict, rating, given.given_at
    petition.save(update_fields=["verdict", "rating", "verdict_at", "updated_at"])
    record_event(
        obj=petition,
        action="verdict",
        ip=ip,
        actor_label=CITIZEN,
        note=comment,
        data={"verdict": verdict, "rating": rating},
    )
    _changed(petition, "verdict", None, verdict=verdict)
    if verdict == Verdict.NOT_RESOLVED:
        reopen_petition(
            petition=petition, reason=comment or _("The citizen says it was not resolved."), ip=ip, actor_label=CITIZEN
        )
    elif petition.status != PetitionStatus.RESOLVED:
        petition.resolved_at = timezone.now()
        _set_status(
            petition,
            PetitionStatus.RESOLVED,
            by=None,
            ip=ip,
            action="resolved",
            extra_fields=["resolved_at"],
            actor_label=CITIZEN,
        )
    return given


@transaction.atomic
def anonymise_petitioner(*, petition: Petition, ip: str | None = None, by: User | None = None) -> Petition:
    """Erase the petitioner's name and contacts, the place they gave and their attachments' original
    file names (often the citizen's own name); the substance and statistics stay. Idempotent."""
    petition = _locked(petition)
    if by is not None:  # None: the citizen erasing their own data from the tracking page
        require(by, "petition.anonymise", obj=petition)
    if petition.anonymised_at:
        return petition
    petition.petitioner_name = ""
    petition.petitioner_phone = ""
    petition.petitioner_email = ""
    petition.petitioner_address = ""
    petition.location = ""
    petition.show_name_publicly = False
    petition.anonymised_at = timezone.now()
    petition.save(
        update_fields=[
            "petitioner_name",
            "petitioner_phone",
            "petitioner_email",
            "petitioner_address",
            "location",
            "show_name_publicly",
            "anonymised_at",
            "updated_at",
        ]
    )
    for number, attachment in enumerate(petition.attachments.order_by("pk"), start=1):
        attachment.original_name = _erased_file_name(number, attachment.file.name)
        attachment.save(update_fields=["original_name"])
    # The citizen's own addresses are personal data too: clear them from the history and the
    # audit events the citizen caused (officials' actions keep theirs).
    petition.history.all().update(
        petitioner_name="", petitioner_phone="", petitioner_email="", petitioner_address="", location=""
    )
    petition.history.filter(history_user__isnull=True).update(ip_address=None)
    from audit.models import AuditEvent

    AuditEvent.objects.for_object(petition).filter(actor__isnull=True).update(ip_address=None)
    record_event(
        obj=petition, action="anonymised", by=by, ip=None if by is None else ip, actor_label="" if by else CITIZEN
    )
    return petition


def _erased_file_name(number: int, stored_name: str) -> str:
    """Return "tep-dinh-kem-1.pdf": a name that says nothing of the sender (the extension of the stored file)."""
    suffix = stored_name.rsplit(".", 1)[-1].lower() if "." in stored_name else "bin"
    return f"tep-dinh-kem-{number}.{suffix}"


REDACTED = "[…]"


@transaction.atomic
def redact_petition_text(*, petition: Petition, passage: str, by: User, ip: str | None = None) -> int:
    """Replace every occurrence of `passage` (personal data a citizen wrote into the petition: a neighbour's
    name, an ID number, a phone) in the title, content and location with "[…]"; return how many were replaced.

    Only the unit's own officials may redact (the matrix's "petition.edit"), else ActionNotAllowed
    (a PermissionDenied). The original is **not kept anywhere**, not even for superusers: the passage is
    also removed from the petition's history (which keeps titles and locations, not contents), and the
    audit event records who redacted, when and how many occurrences in which fields — never the
    passage. A passage that does not occur is a ValidationError (nothing changes). Not idempotent by
    nature, but a second call with the same passage finds nothing and is refused.
    """
    from django.core.exceptions import ValidationError

    require(by, "petition.edit", obj=petition)  # the unit's own officials: changing the description
    passage = passage.strip()
    if len(passage) < 2:
        raise ValidationError(_("Give the passage to hide (at least 2 characters)."), code="too_short")
    petition = _locked(petition)
    counts = {}
    for field in ("title", "content", "location"):
        value = getattr(petition, field)
        if passage in value:
            counts[field] = value.count(passage)
            setattr(petition, field, value.replace(passage, REDACTED))
    if not counts:
        raise ValidationError(_("This passage does not occur in the petition's text."), code="not_found")
    petition.save(update_fields=[*counts, "updated_at"])
    for row in petition.history.all():
        changed = [f for f in ("title", "location") if passage in (getattr(row, f) or "")]
        for field in changed:
            setattr(row, field, getattr(row, field).replace(passage, REDACTED))
        if changed:
            row.save(update_fields=changed)
    record_event(obj=petition, action="text_redacted", by=by, ip=ip, data={"occurrences": counts})
    return sum(counts.values())


def _with_validity(unit: AdministrativeUnit) -> str:
    """Return "Phường Xuân Đỉnh (27/12/2013–30/06/2025)": old and new units often share a name."""
    end = unit.valid_to.strftime("%d/%m/%Y") if unit.valid_to else ""
    return f"{unit} ({unit.valid_from:%d/%m/%Y}–{end})"


@transaction.atomic
def transfer_open_petitions(
    *, old_unit: AdministrativeUnit, new_unit: AdministrativeUnit, by: User, ip: str | None = None
) -> int:
    """Move the open petitions of a unit to one of its successors, with history. Return how many moved.

    Who may: a supervising official over both units, or an administrator
    (`can_transfer_open_petitions`); anyone else is refused with ActionNotAllowed (a PermissionDenied) — a successor's
    own officials read the old unit's petitions but do not take them over themselves. `new_unit`
    must succeed `old_unit` (a `UnitSuccession` row), else TransitionNotAllowed and nothing moves.
    Each petition moved gets a `unit_transferred` audit event, shown on its timeline. Answered,
    resolved and rejected petitions stay with the old unit: they are its history. Running it
    twice moves nothing the second time.
    """
    require(by, "petition.transfer_unit", old_unit)  # the matrix: a supervising official above both
    require(by, "petition.transfer_unit", new_unit)
    if not old_unit.successor_units().filter(pk=new_unit.pk).exists():
        raise TransitionNotAllowed(
            _("%(new)s did not succeed %(old)s: open petitions move only to a successor unit.")
            % {"new": new_unit, "old": old_unit}
        )
    moved = 0
    for petition in Petition.objects.select_for_update().filter(unit=old_unit, status__in=OPEN_STATUSES):
        petition.unit = new_unit
        petition.save(update_fields=["unit", "updated_at"])
        record_event(
            obj=petition,
            action="unit_transferred",
            by=by,
            ip=ip,
            data={"from_unit": old_unit.pk, "to_unit": new_unit.pk},
            note=f"{_with_validity(old_unit)} → {_with_validity(new_unit)}",
        )
        moved += 1
    return moved


def petition_timeline(petition: Petition) -> list:
    """Return the petition's whole chain as audit events, oldest first (including its notices' publication)."""
    from audit.models import AuditEvent

    return list(AuditEvent.objects.for_object(petition).select_related("actor"))
