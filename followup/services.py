"""State changes of follow-up notices, Front supervision and commendations.

Each service refuses an actor the permission matrix (`units.access`) does not allow.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import record_event
from audit.transitions import TransitionNotAllowed, check_transition
from conferences.models import HELD_STATUSES, Conference, ConferenceStatus
from conferences.services import mark_conference_concluded
from followup.models import (
    NOTICE_TRANSITIONS,
    Commendation,
    CommendationKind,
    Finding,
    FollowUpNotice,
    NoticeStatus,
    Supervision,
)
from petitions.models import PetitionStatus
from rules.book import RuleBook
from rules.models import RuleKey
from units.access import require

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import User
    from django.db.models import QuerySet

    from conferences.models import ConclusionItem, Document
    from petitions.models import Petition
    from units.models import AdministrativeUnit, Organisation

# Sent after a notice or supervision changed: sender=model class, instance=, action=, by=.
followup_changed = Signal()


def notice_due_date(conference: Conference | None) -> datetime.date | None:
    """Return the date by which the notice of `conference` must be published (rule in force on the held date)."""
    if conference is None or conference.held_on is None:
        return None
    return NoticeDeadlines().due_date(conference)


class NoticeDeadlines:
    """Compute notice deadlines for many conferences with one query for the rules (`rules.book.RuleBook`).

    The rule in force on the held date, a rule for the unit's level winning over one for every
    level; no rule in force, no deadline (None). For list pages that must not query per row.
    """

    def __init__(self) -> None:
        self.rules = RuleBook(RuleKey.NOTICE_DEADLINE_DAYS)

    def days_on(self, day: datetime.date, level: str) -> int | None:
        return self.rules.in_force(RuleKey.NOTICE_DEADLINE_DAYS, day, level)

    def due_date(self, conference: Conference) -> datetime.date | None:
        if conference.held_on is None:
            return None
        days = self.days_on(conference.held_on, conference.unit.level)
        return None if days is None else conference.held_on + datetime.timedelta(days=days)


def conferences_without_notice(user: User) -> QuerySet[Conference]:
    """Return the held conferences in `user`'s scope that have no published notice, oldest first.

    A read for list pages and the dashboard: compute each row's deadline with `NoticeDeadlines`.
    """
    return (
        Conference.objects.visible_to(user)
        .filter(status__in=HELD_STATUSES, held_on__isnull=False)
        .exclude(notices__status=NoticeStatus.PUBLISHED)
        .order_by("held_on", "pk")
    )


def draft_text_for(conference: Conference) -> str:
    """Return a draft notice text built from the conference's conclusions and the opinions raised there.

    A notice is a public document: it is drafted in the portal's language (Vietnamese), whatever
    language the drafting official's interface uses.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _draft_text_for(conference)


def _draft_text_for(conference: Conference) -> str:
    lines = [
        _("On %(date)s, %(unit)s held “%(title)s”, chaired by %(chair)s.")
        % {
            "date": conference.held_on.strftime("%d/%m/%Y") if conference.held_on else "",
            "unit": conference.unit,
            "title": conference.title,
            "chair": conference.chair or "…",
        },
        "",
        _("I. Conclusions"),
    ]
    for item in conference.conclusions.in_force().select_related("assignee").order_by("number"):
        deadline = item.deadline.strftime("%d/%m/%Y") if item.deadline else "—"
        lines.append(
            _("%(number)s. %(text)s (assigned to: %(assignee)s; deadline: %(deadline)s)")
            % {"number": item.number, "text": item.text, "assignee": item.assignee or "—", "deadline": deadline}
        )
    lines += ["", _("II. Opinions raised and their answers")]
    for number, petition in enumerate(conference.petitions.public().order_by("submitted_at", "pk"), start=1):
        # Conference titles start with "Hội nghị" themselves (hence no "the conference" above), and
        # a petition not answered yet is described by its own status ("Đã tiếp nhận"), not as handled.
        answer = petition.answers.order_by("-answered_at").first()
        lines.append(f"{number}. {petition.title} — {answer.text if answer else petition.get_status_display() + '.'}")
    return "\n".join(lines)


def _notice_title(conference: Conference) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Notice of conclusions: %(title)s") % {"title": conference.title}


@transaction.atomic
def draft_notice_from_conference(*, conference: Conference, by: User, ip: str | None = None) -> FollowUpNotice:
    """Create a draft notice from a held conference's conclusions and the petitions raised there."""
    require(by, "notice.draft", conference.unit)
    if conference.status not in HELD_STATUSES:
        raise TransitionNotAllowed(_("A notice can be drafted only for a conference that was held."))
    notice = FollowUpNotice.objects.create(
        unit=conference.unit,
        conference=conference,
        title=_notice_title(conference),
        text=draft_text_for(conference),
        due_on=notice_due_date(conference),
    )
    notice.conclusion_items.set(conference.conclusions.in_force())
    notice.petitions.set(conference.petitions.public())
    record_event(obj=notice, action="drafted", by=by, ip=ip, to_status=notice.status)
    return notice


@transaction.atomic
def update_notice(
    *,
    notice: FollowUpNotice,
    by: User,
    title: str,
    text: str,
    number: str = "",
    issued_on: datetime.date | None = None,
    conclusion_items: Iterable[ConclusionItem] | None = None,
    petitions: Iterable[Petition] | None = None,
    ip: str | None = None,
) -> FollowUpNotice:
    """Change a draft notice's number, date, title, text and links (only while it is a draft)."""
    notice = _locked(notice)
    require(by, "notice.edit", notice.unit)
    if notice.status != NoticeStatus.DRAFT:
        raise TransitionNotAllowed(_("Only a draft notice can be changed; return it to draft first."))
    if not title.strip() or not text.strip():
        raise TransitionNotAllowed(_("A notice needs a title and a text."))
    notice.number = number.strip()
    notice.issued_on = issued_on
    notice.title = title.strip()
    notice.text = text
    notice.save(update_fields=["number", "issued_on", "title", "text"])
    if conclusion_items is not None:
        notice.conclusion_items.set(conclusion_items)
    if petitions is not None:
        notice.petitions.set(petitions)
    record_event(obj=notice, action="edited", by=by, ip=ip)
    return notice


def _locked(notice: FollowUpNotice) -> FollowUpNotice:
    return FollowUpNotice.objects.select_related("unit").select_for_update(of=("self",)).get(pk=notice.pk)


def _set_status(
    notice: FollowUpNotice,
    status: str,
    *,
    by: User,
    ip: str | None = None,
    extra_fields: Iterable[str] = (),
    note: str = "",
) -> FollowUpNotice:
    check_transition(NOTICE_TRANSITIONS, notice.status, status, what=_("The notice"), choices=NoticeStatus)
    previous = notice.status
    notice.status = status
    notice.save(update_fields=["status", *extra_fields])
    record_event(obj=notice, action=f"status:{status}", by=by, ip=ip, from_status=previous, to_status=status, note=note)
    followup_changed.send(sender=FollowUpNotice, instance=notice, action=status, by=by)
    return notice


@transaction.atomic
def approve_notice(*, notice: FollowUpNotice, by: User, ip: str | None = None) -> FollowUpNotice:
    """Approve a draft notice (the chair); it needs a number and a date of issue."""
    notice = _locked(notice)
    require(by, "notice.approve", notice.unit)
    if not notice.number.strip() or notice.issued_on is None:
        raise TransitionNotAllowed(_("Give the notice its number and date of issue before approving it."))
    notice.approved_by = by
    return _set_status(notice, NoticeStatus.APPROVED, by=by, ip=ip, extra_fields=["approved_by"])


@transaction.atomic
def return_notice_to_draft(
    *, notice: FollowUpNotice, by: User, ip: str | None = None, note: str = ""
) -> FollowUpNotice:
    """Send an approved notice back to draft (with an optional note); its approval is withdrawn."""
    notice = _locked(notice)
    require(by, "notice.return", notice.unit)
    check_transition(NOTICE_TRANSITIONS, notice.status, NoticeStatus.DRAFT, what=_("The notice"), choices=NoticeStatus)
    notice.approved_by = None
    return _set_status(notice, NoticeStatus.DRAFT, by=by, ip=ip, note=note, extra_fields=["approved_by"])


@transaction.atomic
def publish_notice(*, notice: FollowUpNotice, by: User, posted_at: str = "", ip: str | None = None) -> FollowUpNotice:
    """Publish an approved notice: the public page appears, its petitions' timelines show it, and its
    conference becomes concluded."""
    notice = (
        FollowUpNotice.objects.select_related("conference", "unit").select_for_update(of=("self",)).get(pk=notice.pk)
    )
    require(by, "notice.publish", notice.unit)
    check_transition(
        NOTICE_TRANSITIONS, notice.status, NoticeStatus.PUBLISHED, what=_("The notice"), choices=NoticeStatus
    )
    notice.published_at = timezone.now()
    fields = ["published_at"]
    if posted_at:
        notice.posted_at = posted_at
        fields.append("posted_at")
    _set_status(notice, NoticeStatus.PUBLISHED, by=by, ip=ip, extra_fields=fields)
    if notice.replaces is not None:
        record_event(
            obj=notice.replaces,
            action="replaced",
            by=by,
            ip=ip,
            note=notice.number,
            data={"notice": notice.pk, "number": notice.number},
        )
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
def draft_correction(*, notice: FollowUpNotice, by: User, ip: str | None = None) -> FollowUpNotice:
    """Start the correction of a published notice: a new draft that replaces it once published.

    A published notice is never changed. Its correction is a new version (own number, date,
    approval and publication) that says which notice it replaces; the public page then shows
    both, the older one marked as replaced. Who may: those who may draft the unit's notices
    (`notice.draft` in the matrix). Refused while another correction of the same notice is under way.
    """
    notice = (
        FollowUpNotice.objects.select_for_update(of=("self",)).select_related("unit", "conference").get(pk=notice.pk)
    )
    require(by, "notice.draft", notice.unit)
    if notice.status != NoticeStatus.PUBLISHED:
        raise TransitionNotAllowed(_("Only a published notice is corrected by a new version; edit the draft instead."))
    if notice.replaced_by.exists():
        raise TransitionNotAllowed(
            _("This notice already has a correction; correct the latest version of the notice instead.")
        )
    correction = FollowUpNotice.objects.create(
        unit=notice.unit,
        conference=notice.conference,
        title=notice.title,
        text=notice.text,
        due_on=notice.due_on,
        replaces=notice,
    )
    correction.conclusion_items.set(notice.conclusion_items.in_force())
    correction.petitions.set(notice.petitions.all())
    record_event(
        obj=correction,
        action="correction_drafted",
        by=by,
        ip=ip,
        to_status=correction.status,
        data={"replaces": notice.pk},
    )
    record_event(obj=notice, action="correction_started", by=by, ip=ip, data={"notice": correction.pk})
    return correction


@transaction.atomic
def record_posting(*, notice: FollowUpNotice, posted_at: str, by: User, ip: str | None = None) -> FollowUpNotice:
    """Record where a published notice was posted (notice board, loudspeakers, …); replaces the previous entry."""
    notice = _locked(notice)
    require(by, "notice.record_posting", notice.unit)
    if notice.status != NoticeStatus.PUBLISHED:
        raise TransitionNotAllowed(_("Where a notice was posted can be recorded only once it is published."))
    if not (posted_at or "").strip():
        raise TransitionNotAllowed(_("Say where the notice was posted."))
    notice.posted_at = posted_at.strip()
    notice.save(update_fields=["posted_at"])
    record_event(obj=notice, action="posted", by=by, ip=ip, note=posted_at)
    return notice


@transaction.atomic
def record_supervision(
    *,
    unit: AdministrativeUnit,
    by: User,
    subject: str,
    finding: str,
    recommendation: str = "",
    recheck_on: datetime.date | None = None,
    conclusion_item: ConclusionItem | None = None,
    petition: Petition | None = None,
    organisation: Organisation | None = None,
    ip: str | None = None,
) -> Supervision:
    """Record a Front supervisor's finding on a conclusion item or a petition of `unit`; it shows on the
    timeline of the petition (and of every petition the conclusion item settles) and of the conference."""
    require(by, "supervision.record", unit)
    if conclusion_item is None and petition is None:
        raise TransitionNotAllowed(_("Choose the conclusion item or petition that was supervised."))
    if conclusion_item is not None and conclusion_item.conference.unit_id != unit.pk:
        raise TransitionNotAllowed(_("The conclusion item belongs to another unit."))
    if petition is not None and petition.unit_id != unit.pk:
        raise TransitionNotAllowed(_("The petition belongs to another unit."))
    if not (subject or "").strip():
        raise TransitionNotAllowed(_("Say what was supervised."))
    if finding not in Finding.values:
        raise TransitionNotAllowed(_("Choose whether the conclusion was met or not."))
    recommendation = recommendation or ""
    if finding == Finding.NOT_MET and not recommendation.strip():
        raise TransitionNotAllowed(_("A finding of “not met” needs a recommendation."))
    if recheck_on is not None and recheck_on < timezone.localdate():
        raise TransitionNotAllowed(_("The re-check date cannot be in the past."))
    supervision = Supervision.objects.create(
        unit=unit,
        subject=subject.strip(),
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
def mark_rechecked(*, supervision: Supervision, by: User, ip: str | None = None) -> Supervision:
    """Record that a finding was re-checked. Idempotent: a second call changes nothing."""
    supervision = Supervision.objects.select_related("unit").select_for_update(of=("self",)).get(pk=supervision.pk)
    require(by, "supervision.recheck", supervision.unit)
    if supervision.rechecked_at is not None:
        return supervision
    supervision.rechecked_at = timezone.now()
    supervision.save(update_fields=["rechecked_at"])
    data = {"supervision": supervision.pk}
    if supervision.petition_id:
        record_event(obj=supervision.petition, action="supervision_rechecked", by=by, ip=ip, data=data)  # type: ignore[arg-type]
    if supervision.conclusion_item_id:
        record_event(
            obj=supervision.conclusion_item.conference,  # type: ignore[union-attr]
            action="supervision_rechecked",
            by=by,
            ip=ip,
            data={**data, "item": supervision.conclusion_item_id},
        )
    followup_changed.send(sender=Supervision, instance=supervision, action="rechecked", by=by)
    return supervision


@transaction.atomic
def record_commendation(
    *,
    unit: AdministrativeUnit,
    kind: str,
    recipient: str,
    reason: str,
    year: int,
    by: User,
    decision: Document | None = None,
    decision_number: str = "",
    ip: str | None = None,
) -> Commendation:
    """Record a commendation decision for a collective or an individual."""
    require(by, "commendation.record", unit)
    if kind not in CommendationKind.values:
        raise TransitionNotAllowed(_("Choose whether a collective or an individual is commended."))
    if not recipient.strip() or not reason.strip():
        raise TransitionNotAllowed(_("Say who is commended and for what."))
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


# --- Reading deadlines ---------------------------------------------------------------------------


def deadline_state(due_on: datetime.date | None, done_on: datetime.date | None, today: datetime.date) -> dict:
    """Describe a calendar-day deadline: days left, days late, or met/missed once done."""
    if due_on is None:
        return {"due_on": None}
    if done_on is not None:
        late = (done_on - due_on).days
        return {"due_on": due_on, "done_on": done_on, "late": late > 0, "days_late": max(late, 0), "days_left": None}
    delta = (due_on - today).days
    return {
        "due_on": due_on,
        "done_on": None,
        "late": delta < 0,
        "days_late": max(-delta, 0),
        "days_left": max(delta, 0),
    }


def notice_deadline(notice: FollowUpNotice, today: datetime.date) -> dict:
    """Describe the publication deadline of `notice` (met or missed once published)."""
    published_on = timezone.localdate(notice.published_at) if notice.published_at else None
    return deadline_state(notice.due_on, published_on, today)
