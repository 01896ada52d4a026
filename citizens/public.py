"""What the public pages may show, computed in one place so no page shows more.

Public pages never show a petitioner's name (except `public_name()`), phone, e-mail or
address, never the officials' internal notes, and never the substance of a complaint or a
denunciation (they only get the routing guidance).
"""

import dataclasses
import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from conferences.models import Conference, ConferenceStatus
from followup import timeline
from followup.models import FollowUpNotice
from notifications.alerts import subscriptions_export
from notifications.models import AlertSubscription
from petitions.models import (
    ROUTED_OUT_KINDS,
    Answer,
    Channel,
    Petition,
    PetitionStatus,
    RejectionReason,
    Verdict,
)
from petitions.services import ROUTING_GUIDANCE
from units.collation import vietnamese_key
from units.models import SuccessionKind, UnitSuccession

ROUTED_OUT_REASONS = (RejectionReason.COMPLAINT, RejectionReason.DENUNCIATION)


def is_routed_out(petition: Petition) -> bool:
    """Return True if the petition follows another procedure: the public sees only the guidance."""
    return petition.kind in ROUTED_OUT_KINDS or petition.rejection_reason in ROUTED_OUT_REASONS


def routing_guidance(petition: Petition) -> str:
    reason = petition.rejection_reason
    if reason not in ROUTED_OUT_REASONS:
        reason = RejectionReason.COMPLAINT if petition.kind == "khieu_nai" else RejectionReason.DENUNCIATION
    return str(ROUTING_GUIDANCE[reason])


def can_give_verdict(petition: Petition) -> bool:
    """Return True if the citizen may now say whether the latest answer resolved it (once per answer)."""
    if is_routed_out(petition) or petition.duplicate_of_id:
        return False
    if petition.status not in (PetitionStatus.ANSWERED, PetitionStatus.ANSWERED_ON_SPOT, PetitionStatus.RESOLVED):
        return False
    latest = petition.answers.order_by("-answered_at").first()
    return latest is not None and not latest.verdicts.exists()


@dataclasses.dataclass
class Step:
    """One step of the public timeline."""

    at: datetime.datetime
    title: str
    detail: str = ""
    answer: Answer | None = None
    notice: FollowUpNotice | None = None


def public_timeline(petition: Petition) -> list[Step]:
    """Return the public steps of a petition, oldest first, from the one interpreter of its chain
    (`followup.timeline`, 4 queries), keeping only `PUBLIC_ACTIONS` worded for the citizen.

    Public: received, accepted, assigned / transferred (the handling unit's name), deadline
    extended (the new date), answered (with its evidence), rejected (the reason written for the
    citizen), published in a notice, checked by the Front, the citizen's verdict, reopened,
    resolved, moved to a successor ward, contacts erased. Never an actor, an internal note or a
    finding's details.
    """
    return public_timelines([petition])[petition.pk]


def public_timelines(petitions) -> dict[int, list[Step]]:
    """Return `public_timeline` of each petition, by id, in the same fixed number of queries (4) for all."""
    petitions = list(petitions)
    chains = timeline.petition_timelines(petitions)
    result = {}
    for petition in petitions:
        steps = []
        for entry in chains[petition.pk]:
            if entry.action in timeline.PUBLIC_ACTIONS:
                step = _public_step(petition, entry)
                if step is not None:
                    steps.append(step)
        result[petition.pk] = steps
    return result


def _public_step(petition: Petition, entry: timeline.Entry) -> Step | None:
    action, data, at = entry.action, entry.data, entry.at
    if action in ("submitted", "raised_at_conference"):
        return Step(at, _("Received") if action == "submitted" else _("Raised at a dialogue conference"))
    if action == "accepted":
        due = petition.original_due_on
        return Step(at, _("Accepted by the ward"), _("Answer due by %(date)s.") % {"date": _d(due)} if due else "")
    if action in ("assigned", "transferred"):
        title = _("Assigned to %(unit)s") if action == "assigned" else _("Transferred to %(unit)s")
        return Step(at, title % {"unit": data.get("organisation_name") or ""})
    if action == "extended":
        new = data.get("to")
        return Step(at, _("Deadline extended to %(date)s") % {"date": _d(new)}) if new else None
    if action in ("answered", "answered_on_spot"):
        title = _("Answered in writing") if action == "answered" else _("Answered at the conference")
        return Step(at, title, answer=entry.answer)
    if action == "rejected":
        return Step(at, _("Not handled here"), petition.get_rejection_reason_display())
    if action == "notice":
        return Step(at, _("Published in a follow-up notice"), notice=entry.notice)
    if action == "supervision":
        return Step(at, _("Checked by the Fatherland Front"))
    if action == "verdict":
        resolved = data.get("verdict") == Verdict.RESOLVED
        return Step(at, _("You said it was resolved") if resolved else _("You said it was not resolved"))
    if action == "reopened":
        return Step(at, _("Reopened: being handled again"))
    if action == "resolved":
        return Step(at, _("Resolved"))
    if action == "unit_transferred":
        return Step(at, _("Moved to the ward that succeeded yours"), entry.note)
    if action == "anonymised":
        return Step(at, _("Your contact details were erased"))
    return None


def _d(day) -> str:
    return day.strftime("%d/%m/%Y") if isinstance(day, datetime.date) else str(day)


def track_lookup(code: str) -> Petition | None:
    """Return the petition with this canonical tracking code, or None."""
    return (
        Petition.objects.select_related("unit", "category", "handling_org", "duplicate_of")
        .filter(tracking_code=code)
        .first()
    )


def evidence_answer(petition: Petition, answer_id: int) -> Answer | None:
    """Return the answer whose evidence file the public may download: one of this petition's, with a file,
    and never for a complaint, a denunciation or a merged duplicate."""
    if is_routed_out(petition) or petition.duplicate_of_id:
        return None
    answer = petition.answers.filter(pk=answer_id).exclude(evidence="").first()
    return answer


# --- Home page --------------------------------------------------------------------------------


def old_ward_names() -> list[dict]:
    """Return the old communes abolished by the reform and the new ones that took over their area.

    Each row: {"old": unit, "new": [(unit, is_part), …]}, in the Vietnamese order of the old names (the main
    successor first, then the others in Vietnamese order).
    """
    rows: dict[int, dict] = {}
    today = timezone.localdate()
    successions = UnitSuccession.objects.select_related("predecessor", "successor").filter(
        predecessor__level="commune", predecessor__valid_to__lt=today
    )
    ordered = sorted(
        successions,
        key=lambda s: (
            vietnamese_key(s.predecessor.name),
            s.predecessor_id,
            not s.is_primary,
            vietnamese_key(s.successor.name),
        ),
    )
    for succession in ordered:
        row = rows.setdefault(succession.predecessor_id, {"old": succession.predecessor, "new": []})
        row["new"].append((succession.successor, succession.kind == SuccessionKind.PART))
    return list(rows.values())


def upcoming_conferences_of(ward, *, limit: int = 5):
    return (
        Conference.objects.public()
        .filter(
            unit=ward,
            status__in=(ConferenceStatus.PLANNED, ConferenceStatus.ANNOUNCED, ConferenceStatus.POSTPONED),
            planned_start__gte=timezone.now(),
        )
        .order_by("planned_start")[:limit]
    )


def latest_notices(*, ward=None, limit: int = 5):
    qs = FollowUpNotice.objects.published().select_related("unit").order_by("-published_at", "-pk")
    if ward is not None:
        qs = qs.filter(unit=ward)
    return qs[:limit]


def portal_figures(year: int | None = None) -> dict:
    """Return this year's honest figures, with the definitions of `reports.stats` (so the dashboard and the
    reports agree): petitions received this year (every one, `petitions_received`), petitions answered this
    year and the share of them answered by their original deadline (`answered_on_time`)."""
    from reports import stats

    year = year or timezone.localdate().year
    scope = stats.Scope.for_unit_ids(None, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    on_time = stats.answered_on_time(scope)
    share = on_time["share"]
    return {
        "year": year,
        "received": stats.petitions_received(scope)["total"],
        "answered": on_time["answered"],
        "on_time": on_time["on_time"],
        "on_time_share": None if share is None else round(100 * share),
    }


# --- Conferences -------------------------------------------------------------------------------


def conference_figures(conference: Conference) -> dict:
    """Return the opinions raised at a held conference and those answered on the spot, by the definition of
    `reports.stats.opinions`: the petitions recorded there (channel "at a conference") plus the recorded counts
    of an imported conference; answered on the spot = status "answered at the conference" or an answer given
    on the spot."""
    spot_answer = Answer.objects.filter(petition=OuterRef("pk"), on_spot=True)
    counts = Petition.objects.filter(conference=conference, channel=Channel.CONFERENCE).aggregate(
        raised=Count("pk"),
        on_spot=Count("pk", filter=Q(status=PetitionStatus.ANSWERED_ON_SPOT) | Q(Exists(spot_answer))),
    )
    return {
        "raised": counts["raised"] + (conference.opinions_raised_count or 0),
        "on_spot": counts["on_spot"] + (conference.answered_on_spot_count or 0),
    }


# --- My data -----------------------------------------------------------------------------------


def petitions_of_contact(code: str, contact: tuple[str, str]) -> list[Petition]:
    """Return the petitions linked to the contact given, if the tracking code is one of them; else [].

    The code proves the person received it; the contact selects everything the portal holds about them.
    """
    kind, value = contact
    field = "petitioner_phone" if kind == "phone" else "petitioner_email__iexact"
    matches = Petition.objects.filter(**{field: value}, anonymised_at__isnull=True)
    if not matches.filter(tracking_code=code).exists():
        return []
    return list(matches.select_related("unit", "category", "requested_conference").order_by("submitted_at"))


def alert_subscriptions_of(petitions: list[Petition]):
    """Return the e-mail alert subscriptions of the addresses given in these petitions, with their wards."""
    return AlertSubscription.objects.of_addresses(petition_emails(petitions)).select_related("unit")


def personal_data_export(petitions: list[Petition]) -> dict:
    """Return everything the portal holds about the person behind these petitions, as JSON-ready data."""
    from petitions.models import CitizenVerdict, PetitionAttachment

    ids = [p.pk for p in petitions]
    attachments = PetitionAttachment.objects.filter(petition_id__in=ids).order_by("pk")
    verdicts = CitizenVerdict.objects.filter(petition_id__in=ids).order_by("given_at")

    addresses = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Petition),
        object_id__in=ids,
        actor_label="citizen",
    ).order_by("created_at")

    def iso(value):
        return value.isoformat() if value else None

    by_petition: dict[int, dict] = {}
    for p in petitions:
        by_petition[p.pk] = {
            "tracking_code": p.display_code,
            "received_at": iso(p.submitted_at),
            "ward": str(p.unit),
            "kind": p.get_kind_display(),
            "category": str(p.category),
            "title": p.title,
            "content": p.content,
            "location": p.location,
            "status": p.get_status_display(),
            "name": p.petitioner_name,
            "phone": str(p.petitioner_phone or ""),
            "email": p.petitioner_email,
            "address": p.petitioner_address,
            "show_name_publicly": p.show_name_publicly,
            "consent_given_at": iso(p.consent_given_at),
            "requested_conference": str(p.requested_conference) if p.requested_conference else None,
            "attachments": [],
            "verdicts": [],
            "recorded_addresses": [],
        }
    for a in attachments:
        by_petition[a.petition_id]["attachments"].append(
            {"name": a.original_name, "content_type": a.content_type, "size": a.size, "uploaded_at": iso(a.uploaded_at)}
        )
    for v in verdicts:
        by_petition[v.petition_id]["verdicts"].append(
            {"verdict": v.get_verdict_display(), "rating": v.rating, "comment": v.comment, "given_at": iso(v.given_at)}
        )
    for e in addresses:
        by_petition[e.object_id]["recorded_addresses"].append(
            {"action": e.action, "at": iso(e.created_at), "ip_address": e.ip_address}
        )
    return {
        "generated_at": timezone.now().isoformat(),
        "purpose": _("Handling your petitions under Decision 2200-QĐ/TU and contacting you about them."),
        "petitions": list(by_petition.values()),
        # E-mail alerts asked with the addresses given in these petitions (notifications.alerts).
        "alert_subscriptions": subscriptions_export(petition_emails(petitions)),
    }


def petition_emails(petitions: list[Petition]) -> list[str]:
    """Return the e-mail addresses the citizen gave in these petitions (those "my data" covers)."""
    return sorted({p.petitioner_email for p in petitions if p.petitioner_email})
