"""Turn an outbox row into an e-mail (or a reason to skip it), in the recipient's language.

`Batch` loads everything a batch of rows needs in a fixed number of queries (objects by type,
recipients, preferences, the petitions listed in digests, published notices, approved plans).
`build_email` then checks, per kind, that the message is still wanted — a notice published
meanwhile, a petition closed, an address missing make it a skipped delivery with the reason —
and renders `notifications/email/<kind>.txt|.html` under `translation.override(language)`.

Citizens' e-mails carry the tracking code, the unit and a link to the public tracking page,
never the petitioner's name, phone, address or the text of the petition.
"""

import dataclasses
import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from notifications.alerts import ALERT_ITEMS, SUBSCRIBER, confirm_token, unsubscribe_token
from notifications.models import PETITIONER, NotificationKind, NotificationPreference, OutboxMessage
from notifications.models import SkipReason as R
from notifications.recipients import parse_ref
from units.forms import unit_label
from units.names import display_name

SUBJECT_PREFIX = "[Đối thoại 2200]"
K = NotificationKind

SUBJECTS = {
    K.PETITION_RECEIPT: _("Your petition %(code)s has been received"),
    K.PETITION_ACCEPTED: _("Your petition %(code)s has been accepted"),
    K.PETITION_ASSIGNED: _("Your petition %(code)s has been assigned for handling"),
    K.PETITION_ANSWERED: _("Your petition %(code)s has been answered"),
    K.VERDICT_REQUEST: _("Was your petition %(code)s resolved?"),
    K.NOT_RESOLVED_ALERT: _("A citizen says petition %(code)s was not resolved"),
    K.CONFERENCE_UPCOMING: ngettext_lazy(
        "Conference in %(days)s day: %(title)s", "Conference in %(days)s days: %(title)s", "days"
    ),
    K.INVITATION_LATE: _("Invitation not sent yet: %(title)s"),
    K.NOTICE_MISSING: _("Follow-up notice not published: %(title)s"),
    K.PETITION_DUE_SOON: _("Petition %(code)s is due on %(due)s"),
    K.OVERDUE_DIGEST: ngettext_lazy("%(count)s overdue petition", "%(count)s overdue petitions", "count"),
    K.OVERDUE_ESCALATION: ngettext_lazy(
        "%(count)s petition long overdue in your area", "%(count)s petitions long overdue in your area", "count"
    ),
    K.RECHECK_DUE: _("Re-check due: %(subject)s"),
    K.PLAN_MISSING: _("No approved dialogue plan for %(year)s: %(unit_name)s"),
    K.CONFERENCES_BEHIND: _("Behind the required periodic conferences: %(unit_name)s"),
    K.REPORT_READY: _("Report of %(unit_name)s for %(period)s is ready"),
    K.ALERT_CONFIRM: _("Confirm the e-mail alerts of %(unit_name)s"),
    K.ALERT_NOTICE: _("New follow-up notice of %(unit_name)s: %(title)s"),
    K.ALERT_CONFERENCE: _("Dialogue conference announced by %(unit_name)s: %(title)s"),
}

# A digest lists at most this many petitions; the rest are counted.
DIGEST_LIMIT = 100


@dataclasses.dataclass
class Prepared:
    email: EmailMultiAlternatives | None
    skip_reason: str = ""
    language: str = ""


def _model_for(object_type: str):
    from django.apps import apps

    return apps.get_model(object_type)


_SELECT_RELATED = {
    "petitions.petition": ("unit", "handling_org"),
    "conferences.conference": ("unit",),
    "followup.supervision": ("unit",),
    "reports.report": ("unit",),
    "followup.followupnotice": ("unit",),
    "notifications.alertsubscription": ("unit",),
}


class Batch:
    """What a batch of outbox rows needs, loaded in a fixed number of queries."""

    def __init__(self, rows: list[OutboxMessage], *, now=None, today=None):
        from followup.models import FollowUpNotice, NoticeStatus
        from notifications.models import AlertSubscription
        from petitions.models import Petition
        from units.models import Organisation

        self.now = now or timezone.now()
        self.today = today or timezone.localdate(self.now)
        ids_by_type: dict[str, set[int]] = defaultdict(set)
        user_ids, org_ids, subscriber_ids, payload_petitions = set(), set(), set(), set()
        kinds = {row.kind for row in rows}
        for row in rows:
            ids_by_type[row.object_type].add(row.object_id)
            ref, value = parse_ref(row.recipient)
            if ref == "user":
                user_ids.add(value)
            elif ref == "org":
                org_ids.add(value)
            elif ref == SUBSCRIBER:
                subscriber_ids.add(value)
            payload_petitions.update(row.payload.get("petitions", []))
        self.objects: dict[tuple[str, int], object] = {}
        for object_type, ids in ids_by_type.items():
            model = _model_for(object_type)
            qs = model._default_manager.select_related(*_SELECT_RELATED.get(object_type, ()))
            for pk, obj in qs.in_bulk(list(ids)).items():
                self.objects[(object_type, pk)] = obj
        user_model = get_user_model()
        self.users = (
            user_model._default_manager.select_related("notification_preference").in_bulk(list(user_ids))
            if user_ids
            else {}
        )
        self.orgs = Organisation.objects.in_bulk(list(org_ids)) if org_ids else {}
        self.subscribers = (
            AlertSubscription.objects.select_related("unit").in_bulk(list(subscriber_ids)) if subscriber_ids else {}
        )
        self.petitions = (
            Petition.objects.select_related("unit").in_bulk(list(payload_petitions)) if payload_petitions else {}
        )
        # Digest recipients' roles, to tell their own petitions from those only under their supervision.
        self.roles_of: dict[int, list[tuple[str, int, int | None]]] = defaultdict(list)
        if kinds & {K.OVERDUE_DIGEST, K.OVERDUE_ESCALATION} and user_ids:
            from units.models import Membership

            for user_id, role, unit_id, org_id in (
                Membership.objects.active()
                .filter(user_id__in=list(user_ids))
                .values_list("user_id", "role", "unit_id", "organisation_id")
            ):
                self.roles_of[user_id].append((role, unit_id, org_id))
        self.published_notice_for: set[int] = set()
        if K.NOTICE_MISSING in kinds:
            conference_ids = list(ids_by_type.get("conferences.conference", ()))
            self.published_notice_for = set(
                FollowUpNotice.objects.filter(conference_id__in=conference_ids, status=NoticeStatus.PUBLISHED)
                .values_list("conference_id", flat=True)
                .distinct()
            )
        self.approved_plans: set[tuple[int, int]] = set()
        if K.PLAN_MISSING in kinds:
            from conferences.models import DialoguePlan

            unit_ids = list(ids_by_type.get("units.administrativeunit", ()))
            self.approved_plans = set(
                DialoguePlan.objects.filter(unit_id__in=unit_ids, status__in=approved_plan_statuses()).values_list(
                    "unit_id", "year"
                )
            )

    def object_of(self, row):
        return self.objects.get((row.object_type, row.object_id))


def site_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def tracking_link(tracking_code: str) -> str:
    """Return the public tracking page of a petition (built by the citizens' portal)."""
    return site_link(f"/tra-cuu/{tracking_code}/")


def portal_link(names, *args, fallback="/portal/") -> str:
    """Return the officials' page for an object, trying the URL names the portal may use."""
    for name in names:
        try:
            return site_link(reverse(name, args=args))
        except NoReverseMatch:
            continue
    return site_link(fallback)


def petition_link(petition) -> str:
    return portal_link(("petitions:detail", "petitions:petition_detail"), petition.pk)


def conference_link(conference) -> str:
    return portal_link(("conferences:detail", "conferences:conference_detail"), conference.pk)


def approved_plan_statuses() -> tuple[str, ...]:
    """The statuses of a yearly plan that count as approved (a draft or a submitted plan does not)."""
    from conferences.models import PlanStatus

    return (PlanStatus.APPROVED, PlanStatus.IN_PROGRESS, PlanStatus.COMPLETED)


# --- Recipients ---------------------------------------------------------------------------------


def _resolve_recipient(row, obj, batch) -> tuple[str, str, str, str]:
    """Return (address, language, greeting name, skip reason) for the row's recipient, at send time."""
    ref, value = parse_ref(row.recipient)
    default_language = settings.LANGUAGE_CODE
    if ref == "user":
        user = batch.users.get(value)
        if user is None or not user.is_active:
            return "", default_language, "", R.INACTIVE
        try:
            preference = user.notification_preference
        except NotificationPreference.DoesNotExist:
            preference = None
        language = preference.language if preference else default_language
        if preference is not None and not preference.email_enabled:
            return "", language, "", R.TURNED_OFF
        if not user.email:
            return "", language, "", R.NO_ADDRESS
        return user.email, language, display_name(user, language), ""
    if ref == "org":
        org = batch.orgs.get(value)
        if org is None or not org.is_active or not org.email:
            return "", default_language, "", R.NO_ADDRESS
        return org.email, default_language, org.name, ""
    if ref == PETITIONER:
        # Citizens have no account: Vietnamese, and the address only from the petition itself.
        # Deliberate for now: the citizens' portal is Vietnamese-first and a petition stores no
        # language. When it does (the language the petition was sent in), use it here.
        if obj is None or obj.anonymised_at or not obj.petitioner_email:
            return "", "vi", "", R.NO_ADDRESS
        return obj.petitioner_email, "vi", "", ""
    if ref == SUBSCRIBER:
        # Subscribers have no account either: Vietnamese, the address read from the subscription now.
        subscription = batch.subscribers.get(value)
        if subscription is None:
            return "", "vi", "", R.UNSUBSCRIBED
        if row.kind in ALERT_ITEMS and subscription.confirmed_at is None:
            return "", "vi", "", R.NOT_CONFIRMED
        if row.kind == K.ALERT_CONFIRM and subscription.confirmed_at is not None:
            return "", "vi", "", R.ALREADY_CONFIRMED
        return subscription.email, "vi", "", ""
    return "", default_language, "", R.UNKNOWN_RECIPIENT


# --- Per kind: still wanted? and what to say -----------------------------------------------------


def _citizen_context(petition, batch, row):
    return {
        "code": petition.display_code,
        "tracking_url": tracking_link(petition.tracking_code),
        "unit_name": str(petition.unit),
        "status": petition.get_status_display(),
        "due_on": petition.due_on,
        "handling_org": petition.handling_org.name if petition.handling_org_id else "",
    }


def _check_verdict_request(petition, batch, row):
    from petitions.models import PetitionStatus

    if petition.status not in (PetitionStatus.ANSWERED, PetitionStatus.ANSWERED_ON_SPOT, PetitionStatus.RESOLVED):
        return R.PETITION_REOPENED
    if petition.verdict_at and petition.answered_on and timezone.localdate(petition.verdict_at) >= petition.answered_on:
        return R.VERDICT_GIVEN
    return ""


def _petition_context(petition, batch, row):
    return {
        "code": petition.display_code,
        "title": petition.title,
        "unit_name": str(petition.unit),
        "due_on": petition.due_on,
        "url": petition_link(petition),
    }


def _check_conference_upcoming(conference, batch, row):
    from conferences.models import ConferenceStatus

    if conference.status not in (ConferenceStatus.PLANNED, ConferenceStatus.ANNOUNCED):
        return R.CONFERENCE_OFF
    if row.due_key.partition(":")[2] != timezone.localdate(conference.planned_start).isoformat():
        return R.RESCHEDULED
    return ""


def _check_invitation_late(conference, batch, row):
    if conference.invitation_sent_on:
        return R.INVITATION_SENT
    return _check_conference_upcoming(conference, batch, row)


def _check_notice_missing(conference, batch, row):
    from conferences.models import ConferenceStatus

    if conference.pk in batch.published_notice_for or conference.status != ConferenceStatus.HELD:
        return R.NOTICE_PUBLISHED
    return ""


def _conference_context(conference, batch, row):
    start = timezone.localtime(conference.planned_start)
    return {
        "title": conference.title,
        "unit_name": str(conference.unit),
        "start": start,
        "days": max((start.date() - batch.today).days, 0),
        "venue": conference.venue,
        "held_on": conference.held_on,
        "url": conference_link(conference),
        **_payload_dates(row),
    }


def _payload_dates(row):
    """Return the payload's numbers and ISO dates, dates parsed (the scan computed them from the rules)."""
    values = {}
    for key, value in row.payload.items():
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            values[key] = datetime.date.fromisoformat(value)
        elif isinstance(value, int | float):
            values[key] = value
    return values


def _check_due_soon(petition, batch, row):
    if not petition.is_open:
        return R.PETITION_CLOSED
    if petition.due_on is None or petition.due_on.isoformat() != row.due_key:
        return R.DUE_DATE_CHANGED
    return ""


def _digest_items(row, batch):
    items = []
    for pk in row.payload.get("petitions", []):
        petition = batch.petitions.get(pk)
        if petition is not None and petition.is_overdue(batch.today):
            items.append(petition)
    return items


def _check_digest(obj, batch, row):
    return "" if _digest_items(row, batch) else R.PETITIONS_CLOSED


def is_own_petition(petition, user_id: int, roles) -> bool:
    """Return True if the petition is the recipient's own to answer: assigned to them, to their
    handling unit, or in the unit where they are an official. Otherwise it reaches them only as
    a supervisor of its unit (nobody there to answer it)."""
    from units.models import Role

    if petition.assignee_id == user_id:
        return True
    for role, unit_id, org_id in roles:
        if role == Role.HANDLING_OFFICER and org_id and org_id == petition.handling_org_id:
            return True
        if role in (Role.UNIT_OFFICIAL, Role.CHAIR) and unit_id == petition.unit_id:
            return True
    return False


def _digest_context(obj, batch, row):
    items = _digest_items(row, batch)
    user_id = obj.pk if row.object_type == get_user_model()._meta.label_lower else None
    roles = batch.roles_of.get(user_id, [])
    lines = [
        {
            "code": p.display_code,
            "title": p.title,
            "unit_name": str(p.unit),
            "due_on": p.due_on,
            "days_late": (batch.today - p.due_on).days,
            "url": petition_link(p),
            "own": row.kind == K.OVERDUE_DIGEST and is_own_petition(p, user_id, roles),
        }
        for p in items[:DIGEST_LIMIT]
    ]
    own = [line for line in lines if line["own"]]
    supervised = [line for line in lines if not line["own"]]
    return {
        "items": lines,
        "own_items": own,
        "supervised_items": supervised,
        "count": len(items) + max(int(row.payload.get("total", 0)) - len(row.payload.get("petitions", [])), 0),
        "more": max(len(items) - DIGEST_LIMIT, 0),
        "threshold": row.payload.get("threshold"),
        "url": portal_link(("petitions:inbox", "petitions:petition_list")),
    }


def _check_recheck(supervision, batch, row):
    return R.RECHECKED if supervision.rechecked_at else ""


def _recheck_context(supervision, batch, row):
    return {
        "subject": supervision.subject,
        "unit_name": str(supervision.unit),
        "recheck_on": supervision.recheck_on,
        "recommendation": supervision.recommendation,
        "url": portal_link(("followup:supervision_list", "followup:supervisions")),
    }


def _check_plan_missing(unit, batch, row):
    return R.PLAN_APPROVED if (unit.pk, int(row.due_key)) in batch.approved_plans else ""


def _unit_context(unit, batch, row):
    names = ("conferences:plan_list",) if row.kind == K.PLAN_MISSING else ("conferences:conference_list",)
    return {"unit_name": str(unit), "year": row.due_key[:4], "url": portal_link(names), **_payload_dates(row)}


def _check_report_ready(report, batch, row):
    return "" if report.status == report.Status.DONE and report.file else R.OBJECT_DELETED


def _report_context(report, batch, row):
    period = f"{report.start:%d/%m/%Y} – {report.end:%d/%m/%Y}"
    return {
        "unit_name": unit_label(report.unit),
        "period": period,
        "start": report.start,
        "end": report.end,
        "periodic": report.get_periodic_display(),
        "format": report.get_format_display(),
        "url": portal_link(("reports:report_detail",), report.pk, fallback="/portal/reports/"),
    }


def _subscription_of(row, batch):
    return batch.subscribers.get(parse_ref(row.recipient)[1])


def _alert_links(subscription) -> dict:
    """Return the links every alert carries: the one-click unsubscribe, and the ward's pages."""
    if subscription is None:
        return {}
    return {
        "unsubscribe_url": site_link(reverse("opendata:alert_unsubscribe", args=[unsubscribe_token(subscription)])),
        "ward_name": str(subscription.unit),
    }


def _alert_confirm_context(subscription, batch, row):
    return {
        "unit_name": str(subscription.unit),
        "confirm_url": site_link(reverse("opendata:alert_confirm", args=[confirm_token(subscription)])),
        "confirm_days": int(getattr(settings, "ALERTS_CONFIRM_MAX_AGE_DAYS", 7)),
        **_alert_links(subscription),
    }


def _check_alert_notice(notice, batch, row):
    from followup.models import NoticeStatus

    return "" if notice.status == NoticeStatus.PUBLISHED else R.NOT_PUBLIC


def _alert_notice_context(notice, batch, row):
    return {
        "title": notice.title,
        "number": notice.number,
        "issued_on": notice.issued_on,
        "published_at": timezone.localtime(notice.published_at) if notice.published_at else None,
        "unit_name": str(notice.unit),
        "url": site_link(reverse("citizens:notice_detail", args=[notice.pk])),
        **_alert_links(_subscription_of(row, batch)),
    }


def _check_alert_conference(conference, batch, row):
    from conferences.models import ConferenceStatus

    return "" if conference.status == ConferenceStatus.ANNOUNCED else R.NOT_PUBLIC


def _alert_conference_context(conference, batch, row):
    return {
        "title": conference.title,
        "unit_name": str(conference.unit),
        "start": timezone.localtime(conference.planned_start),
        "venue": conference.venue,
        "url": site_link(reverse("citizens:conference_detail", args=[conference.pk])),
        "calendar_url": site_link(reverse("opendata:conference_event_ics", args=[conference.pk])),
        **_alert_links(_subscription_of(row, batch)),
    }


def _never(obj, batch, row):
    return ""


# kind -> (still wanted? -> skip reason, context builder)
HANDLERS = {
    K.PETITION_RECEIPT: (_never, _citizen_context),
    K.PETITION_ACCEPTED: (_never, _citizen_context),
    K.PETITION_ASSIGNED: (_never, _citizen_context),
    K.PETITION_ANSWERED: (_never, _citizen_context),
    K.VERDICT_REQUEST: (_check_verdict_request, _citizen_context),
    K.NOT_RESOLVED_ALERT: (_never, _petition_context),
    K.CONFERENCE_UPCOMING: (_check_conference_upcoming, _conference_context),
    K.INVITATION_LATE: (_check_invitation_late, _conference_context),
    K.NOTICE_MISSING: (_check_notice_missing, _conference_context),
    K.PETITION_DUE_SOON: (_check_due_soon, _petition_context),
    K.OVERDUE_DIGEST: (_check_digest, _digest_context),
    K.OVERDUE_ESCALATION: (_check_digest, _digest_context),
    K.RECHECK_DUE: (_check_recheck, _recheck_context),
    K.PLAN_MISSING: (_check_plan_missing, _unit_context),
    K.CONFERENCES_BEHIND: (_never, _unit_context),
    K.REPORT_READY: (_check_report_ready, _report_context),
    K.ALERT_CONFIRM: (_never, _alert_confirm_context),
    K.ALERT_NOTICE: (_check_alert_notice, _alert_notice_context),
    K.ALERT_CONFERENCE: (_check_alert_conference, _alert_conference_context),
}


def build_email(row: OutboxMessage, batch: Batch) -> Prepared:
    """Return the e-mail for `row`, or a skip reason. Reads only what `batch` loaded."""
    obj = batch.object_of(row)
    if obj is None:
        return Prepared(None, R.OBJECT_DELETED)
    check, make_context = HANDLERS[row.kind]
    address, language, name, reason = _resolve_recipient(row, obj, batch)
    reason = check(obj, batch, row) or reason
    if reason:
        return Prepared(None, reason, language)
    context = {
        "kind": row.kind,
        "recipient_name": name,
        "site_url": settings.SITE_URL,
        "is_citizen": row.recipient == PETITIONER or row.recipient.startswith(f"{SUBSCRIBER}:"),
        **make_context(obj, batch, row),
    }
    return Prepared(render_email(row, context, address, language), "", language)


def render_email(row, context: dict, address: str, language: str) -> EmailMultiAlternatives:
    """Render the subject, text and HTML of `row` in `language` and return the message."""
    with translation.override(language):
        subject_values = defaultdict(str, {k: v for k, v in context.items() if isinstance(v, str | int)})
        subject_values["due"] = context["due_on"].strftime("%d/%m/%Y") if context.get("due_on") else ""
        subject_values["count"] = context.get("count", 0)
        subject = f"{SUBJECT_PREFIX} {SUBJECTS[row.kind] % subject_values}"
        subject = " ".join(subject.split())[:250]
        text = render_to_string(f"notifications/email/{row.kind}.txt", context)
        html = render_to_string(f"notifications/email/{row.kind}.html", context)
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[address],
        headers={
            "X-Portal-Kind": row.kind,
            "X-Portal-Object": f"{row.object_type}:{row.object_id}",
            "X-Portal-Due": row.due_key,
            "Auto-Submitted": "auto-generated",
        },
    )
    if context.get("unsubscribe_url"):
        # One click from the mail program too (RFC 8058): it POSTs to the same link.
        email.extra_headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        email.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.attach_alternative(html, "text/html")
    return email
