"""State changes of follow-up notices, Front supervision and commendations."""

import datetime

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from audit.transitions import TransitionNotAllowed, check_transition
from conferences.models import HELD_STATUSES, ConferenceStatus
from conferences.services import mark_conference_concluded
from followup.models import NOTICE_TRANSITIONS, Commendation, FollowUpNotice, NoticeStatus, Supervision
from petitions.models import PetitionStatus
from rules.models import Rule, RuleKey, RuleNotFound

# Sent after a notice or supervision changed: sender=model class, instance=, action=, by=.
followup_changed = Signal()


def notice_due_date(conference) -> datetime.date | None:
    """Return the date by which the notice of `conference` must be published (rule in force on the held date)."""
    if conference is None or conference.held_on is None:
        return None
    try:
        days = Rule.value_on(RuleKey.NOTICE_DEADLINE_DAYS, conference.held_on, conference.unit.level)
    except RuleNotFound:
        return None
    return conference.held_on + datetime.timedelta(days=days)


def draft_text_for(conference) -> str:
    """Return a draft notice text built from the conference's conclusions and the opinions raised there."""
    lines = [
        _("On %(date)s, %(unit)s held the conference “%(title)s”, chaired by %(chair)s.")
        % {
            "date": conference.held_on.strftime("%d/%m/%Y") if conference.held_on else "",
            "unit": conference.unit,
            "title": conference.title,
            "chair": conference.chair or "…",
        },
        "",
        _("I. Conclusions"),
    ]
    for item in conference.conclusions.select_related("assignee").order_by("number"):
        deadline = item.deadline.strftime("%d/%m/%Y") if item.deadline else "—"
        lines.append(
            f"{item.number}. {item.text} ({_('assigned to')}: {item.assignee or '—'}; {_('deadline')}: {deadline})"
        )
    lines += ["", _("II. Opinions raised and their answers")]
    for number, petition in enumerate(conference.petitions.public().order_by("submitted_at", "pk"), start=1):
        answer = petition.answers.order_by("-answered_at").first()
        lines.append(f"{number}. {petition.title} — {answer.text if answer else _('Being handled.')}")
    return "\n".join(lines)


@transaction.atomic
def draft_notice_from_conference(*, conference, by, ip=None) -> FollowUpNotice:
    """Create a draft notice from a held conference's conclusions and the petitions raised there."""
    if conference.status not in HELD_STATUSES:
        raise TransitionNotAllowed(_("A notice can be drafted only for a conference that was held."))
    notice = FollowUpNotice.objects.create(
        unit=conference.unit,
        conference=conference,
        title=_("Notice of conclusions: %(title)s") % {"title": conference.title},
        text=draft_text_for(conference),
        due_on=notice_due_date(conference),
    )
    notice.conclusion_items.set(conference.conclusions.all())
    notice.petitions.set(conference.petitions.public())
    record_event(obj=notice, action="drafted", by=by, ip=ip, to_status=notice.status)
    return notice


def _set_status(notice, status, *, by, ip=None, extra_fields=(), note=""):
    check_transition(NOTICE_TRANSITIONS, notice.status, status, what=_("The notice"), choices=NoticeStatus)
    previous = notice.status
    notice.status = status
    notice.save(update_fields=["status", *extra_fields])
    record_event(obj=notice, action=f"status:{status}", by=by, ip=ip, from_status=previous, to_status=status, note=note)
    followup_changed.send(sender=FollowUpNotice, instance=notice, action=status, by=by)
    return notice


@transaction.atomic
def approve_notice(*, notice: FollowUpNotice, by, ip=None) -> FollowUpNotice:
    """Approve a draft notice (the chair); it needs a number and a date of issue."""
    notice = FollowUpNotice.objects.select_for_update().get(pk=notice.pk)
    if not notice.number.strip() or notice.issued_on is None:
        raise TransitionNotAllowed(_("Give the notice its number and date of issue before approving it."))
    notice.approved_by = by
    return _set_status(notice, NoticeStatus.APPROVED, by=by, ip=ip, extra_fields=["approved_by"])


@transaction.atomic
def return_notice_to_draft(*, notice: FollowUpNotice, by, ip=None, note: str = "") -> FollowUpNotice:
    notice = FollowUpNotice.objects.select_for_update().get(pk=notice.pk)
    return _set_status(notice, NoticeStatus.DRAFT, by=by, ip=ip, note=note)


@transaction.atomic
def publish_notice(*, notice: FollowUpNotice, by, posted_at: str = "", ip=None) -> FollowUpNotice:
    """Publish an approved notice: the public page appears, its petitions' timelines show it, and its
    conference becomes concluded."""
    notice = FollowUpNotice.objects.select_related("conference", "unit").select_for_update().get(pk=notice.pk)
    notice.published_at = timezone.now()
    fields = ["published_at"]
    if posted_at:
        notice.posted_at = posted_at
        fields.append("posted_at")
    _set_status(notice, NoticeStatus.PUBLISHED, by=by, ip=ip, extra_fields=fields)
    for petition in notice.petitions.all():
        record_event(
            obj=petition,
            action="notice_published",
            by=by,
            ip=ip,
            data={"notice": notice.pk, "number": notice.number},
            note=notice.title,
        )
    if notice.conference and notice.conference.status == ConferenceStatus.HELD:
        mark_conference_concluded(conference=notice.conference, by=by, ip=ip)
    return notice


@transaction.atomic
def record_posting(*, notice: FollowUpNotice, posted_at: str, by, ip=None) -> FollowUpNotice:
    """Record where a notice was posted (notice board, loudspeakers, …)."""
    notice.posted_at = posted_at
    notice.save(update_fields=["posted_at"])
    record_event(obj=notice, action="posted", by=by, ip=ip, note=posted_at)
    return notice


@transaction.atomic
def record_supervision(
    *,
    unit,
    by,
    subject: str,
    finding: str,
    recommendation: str = "",
    recheck_on: datetime.date | None = None,
    conclusion_item=None,
    petition=None,
    organisation=None,
    ip=None,
) -> Supervision:
    """Record a Front supervisor's finding on a conclusion item or a petition; it shows on the timeline."""
    if conclusion_item is None and petition is None:
        raise TransitionNotAllowed(_("Choose the conclusion item or petition that was supervised."))
    if finding == "not_met" and not recommendation.strip():
        raise TransitionNotAllowed(_("A finding of “not met” needs a recommendation."))
    if recheck_on is not None and recheck_on < timezone.localdate():
        raise TransitionNotAllowed(_("The re-check date cannot be in the past."))
    supervision = Supervision.objects.create(
        unit=unit,
        subject=subject,
        finding=finding,
        recommendation=recommendation,
        recheck_on=recheck_on,
        conclusion_item=conclusion_item,
        petition=petition,
        supervisor=by,
        organisation=organisation,
    )
    data = {"supervision": supervision.pk, "finding": finding}
    if petition is not None:
        record_event(obj=petition, action="supervised", by=by, ip=ip, note=recommendation, data=data)
    if conclusion_item is not None:
        record_event(
            obj=conclusion_item.conference,
            action="supervised",
            by=by,
            ip=ip,
            note=recommendation,
            data={**data, "item": conclusion_item.pk},
        )
        for linked in conclusion_item.petitions.exclude(status=PetitionStatus.REJECTED):
            if petition is None or linked.pk != petition.pk:
                record_event(obj=linked, action="supervised", by=by, ip=ip, note=recommendation, data=data)
    followup_changed.send(sender=Supervision, instance=supervision, action="recorded", by=by)
    return supervision


@transaction.atomic
def mark_rechecked(*, supervision: Supervision, by, ip=None) -> Supervision:
    supervision.rechecked_at = timezone.now()
    supervision.save(update_fields=["rechecked_at"])
    return supervision


@transaction.atomic
def record_commendation(
    *, unit, kind: str, recipient: str, reason: str, year: int, by, decision=None, decision_number: str = "", ip=None
) -> Commendation:
    """Record a commendation decision for a collective or an individual."""
    commendation = Commendation.objects.create(
        unit=unit,
        kind=kind,
        recipient=recipient,
        reason=reason,
        year=year,
        decision=decision,
        decision_number=decision_number,
    )
    record_event(obj=commendation, action="recorded", by=by, ip=ip)
    return commendation
