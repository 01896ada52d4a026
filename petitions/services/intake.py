"""How a petition comes in and is taken up: sent by a citizen, raised at a conference (and answered on the
spot), corrected, accepted, rejected with a reason (complaints and denunciations routed out), merged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from audit.services import record_event
from audit.transitions import TransitionNotAllowed, check_transition
from petitions.models import (
    PETITION_TRANSITIONS,
    ROUTED_OUT_KINDS,
    Answer,
    Channel,
    Petition,
    PetitionAttachment,
    PetitionKind,
    PetitionStatus,
    RejectionReason,
)
from units.access import require
from units.models import AdministrativeUnit

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from django.contrib.auth.models import User
    from django.core.files import File
    from django_stubs_ext import StrPromise

    from conferences.models import ConclusionItem, Conference
    from petitions.models import Category
from petitions.services.common import (
    CITIZEN,
    _changed,
    _locked,
    _raised_at,
    _set_status,
    _unique_code,
    acknowledgement_due_date,
    answer_due_date,
)


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
