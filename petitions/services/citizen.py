"""What the citizen does and what protects them: the verdict on an answer, "erase my data", and the
officials' redaction of personal data written into a petition's text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from audit.transitions import TransitionNotAllowed
from petitions.models import (
    CitizenVerdict,
    Petition,
    PetitionStatus,
    Verdict,
)
from units.access import require

if TYPE_CHECKING:
    from django.contrib.auth.models import User

from petitions.services.common import CITIZEN, _changed, _locked, _set_status
from petitions.services.handling import reopen_petition


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
