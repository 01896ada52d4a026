"""The one interpreter of a petition's chain: its audit events, its published notices and the Front's
findings on it, read in a fixed number of queries (4) and turned into `Entry` rows, oldest first.

Two pages show it: the officials' petition page (every entry, through the `petition_timeline`
template tag, so that petitions need not import followup) and the citizen's tracking page
(`citizens.public.public_timeline`, which keeps only `PUBLIC_ACTIONS` and words them for the
citizen, without actors, notes or findings' details).
"""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from followup.models import FollowUpNotice, NoticeStatus, Supervision
from petitions.models import Answer, Petition
from units.names import display_name

ACTION_LABELS = {
    "submitted": _("Received"),
    "raised_at_conference": _("Raised at a conference"),
    "accepted": _("Accepted"),
    "rejected": _("Rejected"),
    "assigned": _("Assigned to a handling unit"),
    "transferred": _("Transferred"),
    "extended": _("Deadline extended"),
    "answered": _("Answered in writing"),
    "answered_on_spot": _("Answered at the conference"),
    "resolved": _("Resolved"),
    "reopened": _("Reopened"),
    "verdict": _("Citizen's verdict"),
    "anonymised": _("Petitioner's contacts erased"),
    "text_redacted": _("Personal data hidden in the text"),
    "unit_transferred": _("Moved to the successor unit"),
    "notice": _("Published in a follow-up notice"),
    "supervision": _("Front supervision"),
    "supervision_rechecked": _("Front supervision re-checked"),
}
# Shown from the notices and findings themselves (with their details), not from their audit rows.
EVENTS_SHOWN_FROM_RELATIONS = {"notice_published", "supervised"}
# The steps a citizen sees on the tracking page (see `citizens.public.public_timeline`).
PUBLIC_ACTIONS = frozenset(
    {
        "submitted",
        "raised_at_conference",
        "accepted",
        "assigned",
        "transferred",
        "extended",
        "answered",
        "answered_on_spot",
        "rejected",
        "notice",
        "supervision",
        "verdict",
        "reopened",
        "resolved",
        "unit_transferred",
        "anonymised",
    }
)
DATE_KEYS = ("due_on", "from", "to")


@dataclasses.dataclass
class Entry:
    """One step of a petition's chain. `actor` and `note` are for officials only."""

    at: datetime.datetime
    action: str
    label: str
    actor: str = ""
    actor_label: str = ""
    note: str = ""
    data: dict = dataclasses.field(default_factory=dict)
    to_status: str = ""
    answer: Answer | None = None
    notice: FollowUpNotice | None = None
    supervision: Supervision | None = None


def _parse_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


def petition_timeline(petition: Petition) -> list[Entry]:
    """Return the whole chain of `petition`, oldest first, in 4 queries whatever its length."""
    return petition_timelines([petition])[petition.pk]


def petition_timelines(petitions: Iterable[Petition]) -> dict[int, list[Entry]]:
    """Return `petition_timeline` of each petition, by id: the batch form, in the same 4 queries for all."""
    petitions = list(petitions)
    ids = [p.pk for p in petitions]
    events_of: dict[int, list] = defaultdict(list)
    content_type = ContentType.objects.get_for_model(Petition, for_concrete_model=False)
    events = AuditEvent.objects.filter(content_type=content_type, object_id__in=ids).order_by("created_at", "pk")
    for event in events.select_related("actor"):
        events_of[event.object_id].append(event)
    answers_of: dict[int, list[Answer]] = defaultdict(list)
    for answer in (
        Answer.objects.filter(petition_id__in=ids).select_related("answered_by").order_by("answered_at", "pk")
    ):
        answers_of[answer.petition_id].append(answer)
    notices_of: dict[int, list[FollowUpNotice]] = defaultdict(list)
    notices = (
        FollowUpNotice.objects.filter(status=NoticeStatus.PUBLISHED, petitions__in=ids)
        .annotate(for_petition=F("petitions"))
        .select_related("unit")
        .order_by("published_at", "pk")
    )
    for notice in notices:
        notices_of[notice.for_petition].append(notice)
    # Findings on the petition itself and on the conclusion items that settle it.
    supervisions_of: dict[int, dict[int, Supervision]] = defaultdict(dict)
    findings = (
        Supervision.objects.filter(Q(petition_id__in=ids) | Q(conclusion_item__petitions__in=ids))
        .annotate(settles=F("conclusion_item__petitions"))
        .select_related("supervisor", "organisation", "conclusion_item")
        .order_by("created_at", "pk")
    )
    wanted = set(ids)
    for finding in findings:
        for petition_id in {finding.petition_id, finding.settles} & wanted:
            supervisions_of[petition_id][finding.pk] = finding
    return {
        p.pk: _entries(events_of[p.pk], answers_of[p.pk], notices_of[p.pk], list(supervisions_of[p.pk].values()))
        for p in petitions
    }


def _entries(events, answers, notices, supervisions) -> list[Entry]:
    answers_by_pk = {a.pk: a for a in answers}
    on_spot = [a for a in answers if a.on_spot]
    entries = []
    for event in events:
        if event.action in EVENTS_SHOWN_FROM_RELATIONS:
            continue
        data = dict(event.data or {})
        for key in DATE_KEYS:
            if data.get(key):
                data[key] = _parse_date(data[key])
        answer = None
        if event.action == "answered":
            answer = answers_by_pk.get(data.get("answer"))
        elif event.action == "answered_on_spot" and on_spot:
            answer = on_spot.pop(0)  # the event carries no id: the on-spot answers in their order
        entries.append(
            Entry(
                at=event.created_at,
                action=event.action,
                label=ACTION_LABELS.get(event.action, event.action),
                actor=display_name(event.actor),
                actor_label=event.actor_label,
                note=event.note,
                data=data,
                to_status=event.to_status,
                answer=answer,
            )
        )
    for notice in notices:
        entries.append(Entry(at=notice.published_at, action="notice", label=ACTION_LABELS["notice"], notice=notice))
    for finding in supervisions:
        entries.append(
            Entry(
                at=finding.created_at,
                action="supervision",
                label=ACTION_LABELS["supervision"],
                actor=display_name(finding.supervisor),
                supervision=finding,
            )
        )
    entries.sort(key=lambda e: e.at)
    return entries
