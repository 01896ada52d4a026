"""Every state change of plans and conferences. Views and tasks call these; nothing else sets a status.

Each function takes keyword-only arguments, runs in one transaction, refuses an actor the
permission matrix (`units.access`) does not allow, checks the allowed transitions, writes an
audit event and sends `conference_changed`.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from audit.transitions import TransitionNotAllowed, check_transition
from conferences.models import (
    CONFERENCE_TRANSITIONS,
    HELD_STATUSES,
    MINUTES_TRANSITIONS,
    PLAN_TRANSITIONS,
    ConclusionItem,
    ConclusionStatus,
    Conference,
    ConferenceAttachment,
    ConferenceParticipation,
    ConferencePostponement,
    ConferenceStatus,
    DialoguePlan,
    MinutesStatus,
    PlanItem,
    PlanStatus,
)
from rules.book import in_force as rule_in_force
from rules.models import RuleKey
from units.access import require

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from django.contrib.auth.models import User
    from django.core.files import File

    from conferences.models import Document
    from units.models import AdministrativeUnit, Organisation

# Sent after a plan or conference changed state: sender=model class, instance=, action=, by=.
conference_changed = Signal()


def _changed(instance: DialoguePlan | Conference, action: str, by: User | None) -> None:
    conference_changed.send(sender=type(instance), instance=instance, action=action, by=by)


# --- Plans -----------------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *,
    unit: AdministrativeUnit,
    year: int,
    title: str,
    by: User,
    document: Document | None = None,
    notes: str = "",
    ip: str | None = None,
) -> DialoguePlan:
    """Create a draft yearly dialogue plan for `unit`."""
    require(by, "plan.create", unit)
    plan = DialoguePlan.objects.create(unit=unit, year=year, title=title, document=document, notes=notes)
    record_event(obj=plan, action="created", by=by, ip=ip, to_status=plan.status)
    return plan


@transaction.atomic
def add_plan_item(
    *,
    plan: DialoguePlan,
    by: User,
    topic: str,
    format: str,
    kind: str = "periodic",
    quarter: int | None = None,
    month: int | None = None,
    chair: str = "",
    ip: str | None = None,
) -> PlanItem:
    """Add a planned conference to a draft plan."""
    plan = DialoguePlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    require(by, "plan.edit", plan.unit)
    _require_draft(plan)
    item = PlanItem.objects.create(
        plan=plan, topic=topic, format=format, kind=kind, quarter=quarter, month=month, chair=chair
    )
    record_event(obj=plan, action="item_added", by=by, ip=ip, note=topic)
    return item


def _require_draft(plan: DialoguePlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise TransitionNotAllowed(_("Only a draft plan can be changed."))


PLAN_EDITABLE_FIELDS = ("title", "year", "notes", "document")
PLAN_ITEM_EDITABLE_FIELDS = ("quarter", "month", "kind", "format", "topic", "chair")


@transaction.atomic
def update_plan(*, plan: DialoguePlan, by: User, ip: str | None = None, **fields: Any) -> DialoguePlan:
    """Change the title, year, notes or document of a draft plan."""
    plan = DialoguePlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    require(by, "plan.edit", plan.unit)
    _require_draft(plan)
    unknown = set(fields) - set(PLAN_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(plan, name) != value]
    for name in changed:
        setattr(plan, name, fields[name])
    if changed:
        plan.save(update_fields=changed)
        record_event(obj=plan, action="edited", by=by, ip=ip, data={"fields": changed})
    return plan


@transaction.atomic
def update_plan_item(*, item: PlanItem, by: User, ip: str | None = None, **fields: Any) -> PlanItem:
    """Change a planned conference of a draft plan."""
    plan = DialoguePlan.objects.select_for_update().select_related("unit").get(pk=item.plan_id)
    require(by, "plan.edit", plan.unit)
    _require_draft(plan)
    unknown = set(fields) - set(PLAN_ITEM_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, fields[name])
    if changed:
        item.save(update_fields=changed)
        record_event(obj=plan, action="item_edited", by=by, ip=ip, note=item.topic, data={"item": item.pk})
    return item


@transaction.atomic
def delete_plan_item(*, item: PlanItem, by: User, ip: str | None = None) -> None:
    """Remove a planned conference from a draft plan (conferences that fulfilled it keep existing)."""
    plan = DialoguePlan.objects.select_for_update().select_related("unit").get(pk=item.plan_id)
    require(by, "plan.edit", plan.unit)
    _require_draft(plan)
    record_event(obj=plan, action="item_deleted", by=by, ip=ip, note=item.topic, data={"item": item.pk})
    item.delete()


# The matrix's action for each target status of a plan.
PLAN_STATUS_ACTIONS: dict[str, str] = {
    PlanStatus.SUBMITTED: "plan.submit",
    PlanStatus.APPROVED: "plan.approve",
    PlanStatus.DRAFT: "plan.return",
    PlanStatus.IN_PROGRESS: "plan.start",
    PlanStatus.COMPLETED: "plan.complete",
}


@transaction.atomic
def set_plan_status(
    *, plan: DialoguePlan, status: str, by: User, ip: str | None = None, note: str = ""
) -> DialoguePlan:
    """Move `plan` to `status` if the transition table allows it (and the matrix allows `by` that step)."""
    plan = DialoguePlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    require(by, PLAN_STATUS_ACTIONS.get(status, "plan.edit"), plan.unit)
    check_transition(PLAN_TRANSITIONS, plan.status, status, what=_("The plan"), choices=PlanStatus)
    if status == PlanStatus.SUBMITTED and not plan.items.exists():
        raise TransitionNotAllowed(_("A plan without planned conferences cannot be submitted for approval."))
    if status == PlanStatus.APPROVED and not plan.items.exists():
        raise TransitionNotAllowed(_("A plan without planned conferences cannot be approved."))
    previous = plan.status
    plan.status = status
    fields = ["status"]
    if status == PlanStatus.APPROVED:
        plan.approved_by, plan.approved_at = by, timezone.now()
        fields += ["approved_by", "approved_at"]
    plan.save(update_fields=fields)
    record_event(obj=plan, action=f"status:{status}", by=by, ip=ip, from_status=previous, to_status=status, note=note)
    _changed(plan, status, by)
    return plan


def submit_plan(*, plan: DialoguePlan, by: User, ip: str | None = None) -> DialoguePlan:
    """Submit a draft plan with its planned conferences for approval (its unit's officials)."""
    return set_plan_status(plan=plan, status=PlanStatus.SUBMITTED, by=by, ip=ip)


def approve_plan(*, plan: DialoguePlan, by: User, ip: str | None = None) -> DialoguePlan:
    """Approve a submitted plan (the unit's chair); a draft must be submitted first."""
    return set_plan_status(plan=plan, status=PlanStatus.APPROVED, by=by, ip=ip)


def return_plan_to_draft(*, plan: DialoguePlan, by: User, ip: str | None = None, note: str = "") -> DialoguePlan:
    """Return a submitted plan to draft so that its unit can change it."""
    return set_plan_status(plan=plan, status=PlanStatus.DRAFT, by=by, ip=ip, note=note)


def start_plan(*, plan: DialoguePlan, by: User, ip: str | None = None) -> DialoguePlan:
    return set_plan_status(plan=plan, status=PlanStatus.IN_PROGRESS, by=by, ip=ip)


def complete_plan(*, plan: DialoguePlan, by: User, ip: str | None = None) -> DialoguePlan:
    return set_plan_status(plan=plan, status=PlanStatus.COMPLETED, by=by, ip=ip)


# --- Conferences -----------------------------------------------------------------------------


@transaction.atomic
def schedule_conference(
    *,
    unit: AdministrativeUnit,
    kind: str,
    format: str,
    title: str,
    planned_start: datetime.datetime,
    by: User,
    plan_item: PlanItem | None = None,
    ip: str | None = None,
    co_organisers: Iterable[Organisation] = (),
    as_of: datetime.datetime | None = None,
    **fields: Any,
) -> Conference:
    """Schedule a conference (from a plan item or ad hoc). Starts an approved plan it belongs to.

    Its start cannot be before `as_of`, the moment the official schedules it (default: now): a
    conference already held is recorded by the importer of past conferences, or scheduled
    beforehand and then recorded as held. `as_of` is only for loading history (the demo's story
    told after the fact, and tests of history); no view or form passes it."""
    require(by, "conference.schedule", unit)
    _require_future_start(planned_start, as_of)
    if plan_item is not None and plan_item.plan.unit_id != unit.pk:
        raise TransitionNotAllowed(_("A conference can fulfil only a plan item of its own unit."))
    conference = Conference.objects.create(
        unit=unit,
        kind=kind,
        format=format,
        title=title,
        planned_start=planned_start,
        plan_item=plan_item,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        **fields,
    )
    if co_organisers:
        conference.co_organisers.set(co_organisers)
    record_event(obj=conference, action="scheduled", by=by, ip=ip, to_status=conference.status)
    if plan_item is not None:
        # Read the plan afresh: the caller's plan_item may carry a stale copy of it.
        plan = DialoguePlan.objects.select_for_update().get(pk=plan_item.plan_id)
        if plan.status == PlanStatus.APPROVED:
            set_plan_status(plan=plan, status=PlanStatus.IN_PROGRESS, by=by, ip=ip)
    _changed(conference, "scheduled", by)
    return conference


def _require_future_start(planned_start: datetime.datetime | None, as_of: datetime.datetime | None = None) -> None:
    if planned_start is not None and planned_start < (as_of or timezone.now()):
        raise TransitionNotAllowed(_("The start of the conference cannot be in the past."))


CONFERENCE_EDITABLE_FIELDS = (
    "title",
    "kind",
    "format",
    "chair",
    "chair_user",
    "invited_groups",
    "agenda",
    "venue",
    "planned_start",
    "planned_end",
    "topics",
    "related_project",
)


@transaction.atomic
def update_conference(
    *,
    conference: Conference,
    by: User,
    ip: str | None = None,
    co_organisers: Iterable[Organisation] | None = None,
    **fields: Any,
) -> Conference:
    """Change a conference's details. Its date changes here only while it is planned (else postpone)."""
    conference = _locked(conference)
    require(by, "conference.edit", conference.unit)
    if conference.status in (ConferenceStatus.CLOSED, ConferenceStatus.CANCELLED):
        raise TransitionNotAllowed(_("A closed or cancelled conference cannot be changed."))
    unknown = set(fields) - set(CONFERENCE_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(conference, name) != value]
    if "planned_start" in changed and conference.status != ConferenceStatus.PLANNED:
        raise TransitionNotAllowed(_("Once announced, a conference changes its date only by being postponed."))
    if "planned_start" in changed:
        _require_future_start(fields["planned_start"])
    for name in changed:
        setattr(conference, name, fields[name])
    if changed:
        conference.save(update_fields=changed)
    if co_organisers is not None:
        before = set(conference.co_organisers.values_list("pk", flat=True))
        after = {o.pk for o in co_organisers}
        if before != after:
            conference.co_organisers.set(co_organisers)
            changed.append("co_organisers")
    if changed:
        record_event(obj=conference, action="edited", by=by, ip=ip, data={"fields": changed})
    return conference


def invitation_lead_days(conference: Conference) -> int | None:
    """Return the invitation lead time in force (rule INVITATION_LEAD_DAYS on the conference's date,
    for its unit's level), in days; None when no rule is in force."""
    return rule_in_force(
        RuleKey.INVITATION_LEAD_DAYS, timezone.localdate(conference.planned_start), conference.unit.level
    )


def invitation_lead_shortfall(conference: Conference, invitation_sent_on: datetime.date) -> tuple[int, int] | None:
    """Return (days given, days required) when invitations sent on `invitation_sent_on` give less
    notice than the lead time in force, else None."""
    lead = invitation_lead_days(conference)
    given = (timezone.localdate(conference.planned_start) - invitation_sent_on).days
    return (given, lead) if lead is not None and given < lead else None


def invitation_lead_warning(conference: Conference, invitation_sent_on: datetime.date) -> str:
    """Return a warning when the invitation went out later than the lead time in force, else ''."""
    shortfall = invitation_lead_shortfall(conference, invitation_sent_on)
    if shortfall is None:
        return ""
    return _(
        "The invitation went out %(days)s days before the conference; the rule in force asks for at least "
        "%(lead)s days."
    ) % {"days": shortfall[0], "lead": shortfall[1]}


def _set_conference_status(
    conference: Conference,
    status: str,
    *,
    by: User,
    ip: str | None = None,
    note: str = "",
    extra_fields: Iterable[str] = (),
    data: dict[str, Any] | None = None,
) -> Conference:
    check_transition(
        CONFERENCE_TRANSITIONS, conference.status, status, what=_("The conference"), choices=ConferenceStatus
    )
    previous = conference.status
    conference.status = status
    conference.save(update_fields=["status", *extra_fields])
    record_event(
        obj=conference,
        action=f"status:{status}",
        by=by,
        ip=ip,
        from_status=previous,
        to_status=status,
        note=note,
        data=data,
    )
    _changed(conference, status, by)
    return conference


def _locked(conference: Conference) -> Conference:
    return Conference.objects.select_related("unit").select_for_update().get(pk=conference.pk)


@transaction.atomic
def announce_conference(
    *,
    conference: Conference,
    invitation_sent_on: datetime.date,
    by: User,
    short_notice_reason: str = "",
    ip: str | None = None,
) -> str:
    """Announce the conference; record when invitations went out.

    Invitations sent later than the lead time in force (rule INVITATION_LEAD_DAYS) are refused
    unless `short_notice_reason` says why; the reason is kept in the audit event. Return the
    lead-time warning ('' when the lead time was kept)."""
    conference = _locked(conference)
    require(by, "conference.announce", conference.unit)
    warning = invitation_lead_warning(conference, invitation_sent_on)
    reason = (short_notice_reason or "").strip()
    if warning and not reason:
        raise TransitionNotAllowed(
            warning + " " + _("Give the reason for the short notice to announce the conference anyway.")
        )
    conference.invitation_sent_on = invitation_sent_on
    data = None
    shortfall = invitation_lead_shortfall(conference, invitation_sent_on)
    if shortfall is not None:
        given, lead = shortfall
        data = {"short_notice_reason": reason, "lead_days_given": given, "lead_days_required": lead}
    _set_conference_status(
        conference,
        ConferenceStatus.ANNOUNCED,
        by=by,
        ip=ip,
        note=f"{warning} {reason}".strip() if warning else "",
        extra_fields=["invitation_sent_on"],
        data=data,
    )
    return warning


@transaction.atomic
def postpone_conference(
    *,
    conference: Conference,
    reason: str,
    by: User,
    new_start: datetime.datetime | None = None,
    ip: str | None = None,
    as_of: datetime.datetime | None = None,
) -> Conference:
    """Postpone the conference, with a reason (required), optionally to a new date (not before
    `as_of`, the moment of postponing: now by default; `as_of` is only for loading history, the
    demo's story told after the fact and tests of history, never passed by a view or form).

    Adds a `ConferencePostponement` (from the date planned until now, to `new_start` or none yet):
    the date first planned and every move stay on record, whatever the conference's planned start
    becomes.
    """
    conference = _locked(conference)
    require(by, "conference.postpone", conference.unit)
    if not (reason or "").strip():
        raise TransitionNotAllowed(_("A reason is required to postpone a conference."))
    fields = ["status_reason"]
    conference.status_reason = reason
    _require_future_start(new_start, as_of)
    data = {"from": conference.planned_start.isoformat()}
    previous_start = conference.planned_start
    if new_start is not None:
        data["to"] = new_start.isoformat()
        conference.planned_start = new_start
        fields.append("planned_start")
    conference = _set_conference_status(
        conference, ConferenceStatus.POSTPONED, by=by, ip=ip, note=reason, extra_fields=fields, data=data
    )
    ConferencePostponement.objects.create(
        conference=conference, from_start=previous_start, to_start=new_start, reason=reason, postponed_by=by
    )
    return conference


@transaction.atomic
def reschedule_conference(
    *,
    conference: Conference,
    planned_start: datetime.datetime,
    by: User,
    ip: str | None = None,
    as_of: datetime.datetime | None = None,
) -> Conference:
    """Bring a postponed conference back to planned at a new date (not before `as_of`: now by
    default; `as_of` is only for loading history, the demo's story told after the fact and tests of
    history, never passed by a view or form).

    The new date completes the postponement that had none; a postponement that already had a date
    and is moved again is a further move, recorded as one more `ConferencePostponement`.
    """
    conference = _locked(conference)
    require(by, "conference.reschedule", conference.unit)
    _require_future_start(planned_start, as_of)
    previous_start = conference.planned_start
    conference.planned_start = planned_start
    conference = _set_conference_status(
        conference, ConferenceStatus.PLANNED, by=by, ip=ip, extra_fields=["planned_start"]
    )
    last = conference.postponements.order_by("-postponed_at", "-pk").first()
    if last is not None and last.to_start is None:
        last.to_start = planned_start
        last.save(update_fields=["to_start"])
    elif planned_start != previous_start:
        ConferencePostponement.objects.create(
            conference=conference,
            from_start=previous_start,
            to_start=planned_start,
            reason=last.reason if last else "",
            postponed_by=by,
        )
    return conference


@transaction.atomic
def cancel_conference(*, conference: Conference, reason: str, by: User, ip: str | None = None) -> Conference:
    """Cancel the conference, with a reason (required)."""
    conference = _locked(conference)
    require(by, "conference.cancel", conference.unit)
    if not (reason or "").strip():
        raise TransitionNotAllowed(_("A reason is required to cancel a conference."))
    conference.status_reason = reason
    return _set_conference_status(
        conference, ConferenceStatus.CANCELLED, by=by, ip=ip, note=reason, extra_fields=["status_reason"]
    )


@transaction.atomic
def record_conference_held(
    *,
    conference: Conference,
    held_on: datetime.date,
    by: User,
    attendance: int | None = None,
    actual_start: datetime.datetime | None = None,
    ip: str | None = None,
) -> Conference:
    """Record that the conference took place: its date and attendance."""
    conference = _locked(conference)
    require(by, "conference.record_held", conference.unit)
    if held_on > timezone.localdate():
        raise TransitionNotAllowed(_("A conference cannot be recorded as held on a future date."))
    conference.held_on = held_on
    conference.attendance = attendance
    conference.actual_start = actual_start
    if conference.minutes_status == MinutesStatus.NONE:
        conference.minutes_status = MinutesStatus.DRAFT
    return _set_conference_status(
        conference,
        ConferenceStatus.HELD,
        by=by,
        ip=ip,
        extra_fields=["held_on", "attendance", "actual_start", "minutes_status"],
    )


@transaction.atomic
def set_participations(
    *,
    conference: Conference,
    participants: Iterable[tuple[Organisation | None, str, int]],
    by: User,
    ip: str | None = None,
) -> list[ConferenceParticipation]:
    """Replace who took part: `participants` is a list of (organisation or None, group label, count)."""
    conference = _locked(conference)
    require(by, "conference.record_held", conference.unit)
    conference.participations.all().delete()
    rows = ConferenceParticipation.objects.bulk_create(
        ConferenceParticipation(conference=conference, organisation=org, group=group or "", count=count)
        for org, group, count in participants
    )
    record_event(
        obj=conference,
        action="participants_recorded",
        by=by,
        ip=ip,
        data={"participants": [[getattr(o, "pk", None), g, c] for o, g, c in participants]},
    )
    return rows


@transaction.atomic
def record_conference_outcome(
    *,
    conference: Conference,
    held_on: datetime.date,
    by: User,
    attendance: int | None = None,
    actual_start: datetime.datetime | None = None,
    participants: Iterable[tuple[Organisation | None, str, int]] = (),
    minutes_text: str = "",
    minutes_file: File | None = None,
    ip: str | None = None,
) -> Conference:
    """Record that the conference was held, who took part, and the draft minutes, in one step."""
    conference = record_conference_held(
        conference=conference, held_on=held_on, attendance=attendance, actual_start=actual_start, by=by, ip=ip
    )
    if participants:
        set_participations(conference=conference, participants=participants, by=by, ip=ip)
    if minutes_text or minutes_file:
        conference = update_minutes(
            conference=conference, text=minutes_text or None, file=minutes_file or None, by=by, ip=ip
        )
    return conference


@transaction.atomic
def mark_conference_concluded(*, conference: Conference, by: User, ip: str | None = None) -> Conference:
    """Mark a held conference concluded (called when its follow-up notice is published)."""
    conference = _locked(conference)
    require(by, "conference.conclude", conference.unit)
    return _set_conference_status(conference, ConferenceStatus.CONCLUDED, by=by, ip=ip)


@transaction.atomic
def close_conference(*, conference: Conference, by: User, ip: str | None = None) -> Conference:
    """Close a concluded conference once its conclusions are carried out."""
    conference = _locked(conference)
    require(by, "conference.close", conference.unit)
    if conference.conclusions.filter(status=ConclusionStatus.OPEN).exists():
        raise TransitionNotAllowed(_("A conference can be closed only when all its conclusions are carried out."))
    return _set_conference_status(conference, ConferenceStatus.CLOSED, by=by, ip=ip)


@transaction.atomic
def set_minutes_status(*, conference: Conference, status: str, by: User, ip: str | None = None) -> Conference:
    """Move the minutes draft → approved → locked (approved may go back to draft; locked is final)."""
    conference = _locked(conference)
    require(by, "minutes.approve", conference.unit)
    check_transition(
        MINUTES_TRANSITIONS, conference.minutes_status, status, what=_("The minutes"), choices=MinutesStatus
    )
    previous = conference.minutes_status
    conference.minutes_status = status
    conference.save(update_fields=["minutes_status"])
    record_event(obj=conference, action=f"minutes:{status}", by=by, ip=ip, from_status=previous, to_status=status)
    _changed(conference, f"minutes:{status}", by)
    return conference


@transaction.atomic
def update_minutes(
    *, conference: Conference, by: User, text: str | None = None, file: File | None = None, ip: str | None = None
) -> Conference:
    """Replace the minutes text or file while the minutes are still a draft."""
    conference = _locked(conference)
    require(by, "minutes.edit", conference.unit)
    if conference.status not in HELD_STATUSES:
        raise TransitionNotAllowed(_("Minutes can be written only for a conference that was held."))
    if conference.minutes_status in (MinutesStatus.APPROVED, MinutesStatus.LOCKED):
        raise TransitionNotAllowed(_("Approved or locked minutes cannot be changed."))
    fields = []
    if conference.minutes_status == MinutesStatus.NONE:
        conference.minutes_status = MinutesStatus.DRAFT
        fields.append("minutes_status")
    if text is not None:
        conference.minutes_text = text
        fields.append("minutes_text")
    if file is not None:
        conference.minutes_file = file
        fields.append("minutes_file")
    conference.save(update_fields=fields)
    record_event(obj=conference, action="minutes_updated", by=by, ip=ip)
    return conference


@transaction.atomic
def add_conclusion_item(
    *,
    conference: Conference,
    text: str,
    by: User,
    assignee: Organisation | None = None,
    deadline: datetime.date | None = None,
    petitions: Iterable[Any] = (),
    ip: str | None = None,
) -> ConclusionItem:
    """Add a conclusion item to a held conference, linked to the petitions it settles."""
    conference = _locked(conference)
    require(by, "conclusion.add", conference.unit)
    if conference.status not in (ConferenceStatus.HELD, ConferenceStatus.CONCLUDED):
        raise TransitionNotAllowed(_("Conclusions can be recorded only for a conference that was held."))
    if any(p.conference_id != conference.pk for p in petitions):
        raise TransitionNotAllowed(_("A conclusion can settle only petitions raised at its own conference."))
    number = (conference.conclusions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    item = ConclusionItem.objects.create(
        conference=conference, number=number, text=text, assignee=assignee, deadline=deadline
    )
    if petitions:
        item.petitions.set(petitions)
    record_event(
        obj=conference,
        action="conclusion_added",
        by=by,
        ip=ip,
        note=text[:200],
        data={"item": item.pk, "petitions": [p.pk for p in petitions]},
    )
    return item


@transaction.atomic
def mark_conclusion_done(
    *, item: ConclusionItem, by: User, done_on: datetime.date | None = None, ip: str | None = None
) -> ConclusionItem:
    """Record that a conclusion item was carried out (once: a second call raises TransitionNotAllowed)."""
    item = ConclusionItem.objects.select_for_update(of=("self",)).select_related("conference__unit").get(pk=item.pk)
    require(by, "conclusion.mark_done", item.conference.unit)
    if item.status == ConclusionStatus.DONE:
        raise TransitionNotAllowed(_("This conclusion item is already carried out."))
    item.status = ConclusionStatus.DONE
    item.done_on = done_on or timezone.localdate()
    item.save(update_fields=["status", "done_on"])
    record_event(obj=item.conference, action="conclusion_done", by=by, ip=ip, data={"item": item.pk})
    return item


@transaction.atomic
def add_attachment(
    *, conference: Conference, title: str, file: File, by: User, ip: str | None = None
) -> ConferenceAttachment:
    """Attach a file (invitation, photos, signed minutes…) to a conference."""
    require(by, "attachment.add", conference.unit)
    attachment = ConferenceAttachment.objects.create(conference=conference, title=title, file=file)
    record_event(
        obj=conference, action="attachment_added", by=by, ip=ip, note=title, data={"attachment": attachment.pk}
    )
    return attachment


# --- Corrections before the notice is published ---------------------------------------------------

# Once the follow-up notice is published (the conference is concluded or closed), what it says is
# corrected by a new version of the notice (`followup.services.draft_correction`), not here.


def _require_correctable(conference: Conference) -> None:
    if conference.status in (ConferenceStatus.CONCLUDED, ConferenceStatus.CLOSED):
        raise TransitionNotAllowed(
            _("The follow-up notice is published: correct it with a new version of the notice instead.")
        )


def _locked_item(item: ConclusionItem) -> ConclusionItem:
    return (
        ConclusionItem.objects.select_for_update(of=("self",))
        .select_related("conference__unit", "assignee")
        .get(pk=item.pk)
    )


@transaction.atomic
def update_conclusion_item(
    *,
    item: ConclusionItem,
    by: User,
    text: str,
    assignee: Organisation | None = None,
    deadline: datetime.date | None = None,
    petitions: Iterable[Any] | None = None,
    ip: str | None = None,
) -> ConclusionItem:
    """Correct a conclusion item (its text, assignee, deadline, petitions) before the notice is published.

    Who may: the unit's own officials and chair (`conclusion.edit` in the matrix). The previous values are kept in the
    audit event, so the history shows what the item said before.
    """
    conference = _locked(item.conference)
    item = _locked_item(item)
    require(by, "conclusion.edit", conference.unit)
    _require_correctable(conference)
    if item.status == ConclusionStatus.WITHDRAWN:
        raise TransitionNotAllowed(_("A withdrawn conclusion item cannot be changed."))
    if not (text or "").strip():
        raise TransitionNotAllowed(_("A conclusion item needs a text."))
    if petitions is not None and any(p.conference_id != conference.pk for p in petitions):
        raise TransitionNotAllowed(_("A conclusion can settle only petitions raised at its own conference."))
    before: dict[str, object] = {
        "text": item.text,
        "assignee": item.assignee_id,
        "deadline": item.deadline.isoformat() if item.deadline else None,
    }
    item.text, item.assignee, item.deadline = text.strip(), assignee, deadline
    changed = [name for name in ("text", "assignee", "deadline") if _value(item, name) != before[name]]
    if changed:
        item.save(update_fields=changed)
    if petitions is not None:
        old = set(item.petitions.values_list("pk", flat=True))
        new = {p.pk for p in petitions}
        if old != new:
            item.petitions.set(petitions)
            changed.append("petitions")
            before["petitions"] = sorted(old)
    if changed:
        record_event(
            obj=conference,
            action="conclusion_edited",
            by=by,
            ip=ip,
            note=item.text[:200],
            data={"item": item.pk, "number": item.number, "fields": changed, "before": before},
        )
    return item


def _value(item: ConclusionItem, name: str) -> object:
    if name == "assignee":
        return item.assignee_id
    if name == "deadline":
        return item.deadline.isoformat() if item.deadline else None
    return getattr(item, name)


@transaction.atomic
def withdraw_conclusion_item(*, item: ConclusionItem, by: User, reason: str, ip: str | None = None) -> ConclusionItem:
    """Withdraw a conclusion item recorded by mistake, with a reason, before the notice is published.

    The item keeps its number and stays in the history (status "withdrawn"); it leaves any draft
    notice and is no longer listed, supervised or counted as open.
    """
    conference = _locked(item.conference)
    item = _locked_item(item)
    require(by, "conclusion.edit", conference.unit)
    _require_correctable(conference)
    if item.status == ConclusionStatus.WITHDRAWN:
        raise TransitionNotAllowed(_("This conclusion item is already withdrawn."))
    if not (reason or "").strip():
        raise TransitionNotAllowed(_("Give the reason for withdrawing the conclusion item."))
    previous = item.status
    item.status = ConclusionStatus.WITHDRAWN
    item.withdrawal_reason = reason.strip()
    item.save(update_fields=["status", "withdrawal_reason"])
    # Draft notices drop it (a published notice is never changed: the conference would be concluded).
    item.notices.through.objects.filter(conclusionitem_id=item.pk).delete()
    record_event(
        obj=conference,
        action="conclusion_withdrawn",
        by=by,
        ip=ip,
        from_status=previous,
        to_status=ConclusionStatus.WITHDRAWN,
        note=reason.strip(),
        data={"item": item.pk, "number": item.number, "text": item.text},
    )
    return item


@transaction.atomic
def remove_attachment(
    *, attachment: ConferenceAttachment, by: User, reason: str = "", ip: str | None = None
) -> ConferenceAttachment:
    """Remove a wrongly uploaded attachment before the notice is published.

    Soft delete: the row and the file are kept for the history, but the file is no longer served
    (its download answers 404) nor listed. Who may: the unit's own officials and chair
    (`attachment.remove` in the matrix).
    """
    conference = _locked(attachment.conference)
    attachment = (
        ConferenceAttachment.objects.select_for_update(of=("self",))
        .select_related("conference__unit")
        .get(pk=attachment.pk)
    )
    require(by, "attachment.remove", conference.unit)
    _require_correctable(conference)
    if attachment.removed_at is not None:
        raise TransitionNotAllowed(_("This attachment is already removed."))
    attachment.removed_at = timezone.now()
    attachment.removed_by = by if getattr(by, "is_authenticated", False) else None
    attachment.removal_reason = (reason or "").strip()
    attachment.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    record_event(
        obj=conference,
        action="attachment_removed",
        by=by,
        ip=ip,
        note=attachment.title,
        data={"attachment": attachment.pk, "reason": attachment.removal_reason},
    )
    return attachment
