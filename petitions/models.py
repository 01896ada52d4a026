"""Citizens' petitions (ý kiến, kiến nghị, phản ánh) and everything that happens to them.

The chain a petition follows: raised (online or at a conference) → accepted → assigned to a
handling unit with a due date in working days → (extended with a reason) → answered with
evidence → published in a follow-up notice → supervised by the Front → the citizen's verdict.
`petitions.services` is the only code that changes a petition's status, checking
`PETITION_TRANSITIONS`. Overdue is computed (`due_on` passed while open), never stored.

Longer than ~500 lines on purpose: the petition and the rows of its chain (assignment, extension, answer,
verdict, attachment, category, template) are one aggregate whose statuses, constraints and covering indexes
(`Petition.Meta.indexes`, which the dashboard and reports depend on) must be read together.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from audit.models import HistoricalRecordWithIP
from conferences.models import ConclusionItem, Conference
from conferences.uploads import private_upload_to
from petitions.codes import display_tracking_code
from units.models import AdministrativeUnit, Organisation


class PetitionKind(models.TextChoices):
    REPORT = "phan_anh", _("Report of a problem (phản ánh)")
    RECOMMENDATION = "kien_nghi", _("Recommendation or request (kiến nghị)")
    PROPOSAL = "de_xuat", _("Proposal or initiative (đề xuất, sáng kiến)")
    COMMENT = "gop_y", _("Comment (góp ý)")
    COMPLAINT = "khieu_nai", _("Complaint (khiếu nại)")
    DENUNCIATION = "to_cao", _("Denunciation (tố cáo)")


# Complaints and denunciations follow the Law on Complaints and the Law on Denunciations:
# the portal recognises them, never publishes them, and routes them out with guidance.
ROUTED_OUT_KINDS = (PetitionKind.COMPLAINT, PetitionKind.DENUNCIATION)


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    CONFERENCE = "conference", _("At a conference")
    RECEPTION = "reception", _("Citizen reception")
    MAIL = "mail", _("By mail")
    MTTQ = "mttq", _("Forwarded by the Fatherland Front")


class PetitionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    ANSWERED_ON_SPOT = "answered_on_spot", _("Answered at the conference")
    IN_PROGRESS = "in_progress", _("In progress")
    TRANSFERRED = "transferred", _("Transferred for handling")
    ANSWERED = "answered", _("Answered in writing")
    RESOLVED = "resolved", _("Resolved")
    REJECTED = "rejected", _("Rejected / outside our remit")


PETITION_TRANSITIONS = {
    PetitionStatus.SUBMITTED: {
        PetitionStatus.ACCEPTED,
        PetitionStatus.REJECTED,
        PetitionStatus.ANSWERED_ON_SPOT,
    },
    PetitionStatus.ACCEPTED: {
        PetitionStatus.IN_PROGRESS,
        PetitionStatus.TRANSFERRED,
        PetitionStatus.ANSWERED_ON_SPOT,
        PetitionStatus.ANSWERED,
        PetitionStatus.REJECTED,
    },
    PetitionStatus.IN_PROGRESS: {
        PetitionStatus.IN_PROGRESS,
        PetitionStatus.TRANSFERRED,
        PetitionStatus.ANSWERED,
        PetitionStatus.REJECTED,
    },
    PetitionStatus.TRANSFERRED: {
        PetitionStatus.IN_PROGRESS,
        PetitionStatus.TRANSFERRED,
        PetitionStatus.ANSWERED,
    },
    PetitionStatus.ANSWERED_ON_SPOT: {PetitionStatus.RESOLVED, PetitionStatus.IN_PROGRESS},
    PetitionStatus.ANSWERED: {PetitionStatus.RESOLVED, PetitionStatus.IN_PROGRESS},
    PetitionStatus.RESOLVED: {PetitionStatus.IN_PROGRESS},
    PetitionStatus.REJECTED: {PetitionStatus.ACCEPTED},
}
# Statuses in which the unit still owes an answer (and so can be overdue).
OPEN_STATUSES = (
    PetitionStatus.SUBMITTED,
    PetitionStatus.ACCEPTED,
    PetitionStatus.IN_PROGRESS,
    PetitionStatus.TRANSFERRED,
)
# "Due soon": open and due within this many working days — the dashboard, the inbox filter and the
# handling officers' reminders all use this one window.
DUE_SOON_WORKING_DAYS = 3
ANSWERED_STATUSES = (PetitionStatus.ANSWERED_ON_SPOT, PetitionStatus.ANSWERED, PetitionStatus.RESOLVED)


# On time: answered by the ORIGINAL deadline (`original_due_on`, set at acceptance or the first
# assignment and never moved by an extension), so an extension granted afterwards cannot turn a late
# answer into an on-time one. An answer given on the spot has no deadline and is on time. Every
# on-time figure (dashboard, reports, compliance board, commendation shortlist) and the inbox filter
# use it.
ANSWERED_ON_TIME = Q(original_due_on__isnull=True, due_on__isnull=True) | Q(
    answered_on__lte=Coalesce(models.F("original_due_on"), models.F("due_on"))
)
# Within the extended deadline: answered by the deadline in force after every extension. Shown beside
# `ANSWERED_ON_TIME`, never instead of it.
ANSWERED_WITHIN_EXTENSION = Q(due_on__isnull=True) | Q(answered_on__lte=models.F("due_on"))
# The deadline was extended at least once (the deadline in force is not the original one).
DEADLINE_EXTENDED = Q(original_due_on__isnull=False, due_on__gt=models.F("original_due_on"))


def past_due_q(today) -> Q:
    """Return the condition "past its deadline on `today`" for open petitions (overdue is never stored).

    The deadline in force (`due_on`, after extensions) has passed, or the deadline was extended only
    after it had already passed (`missed_due_on`): an extension asked for late keeps the petition in
    the overdue figures until it is answered — it cannot clean the record retroactively. The
    dashboard, the inbox filter, the admin filter and `Petition.is_overdue` use it.
    """
    return Q(due_on__lt=today) | Q(missed_due_on__lt=today)


def answered_on_spot_q() -> Q:
    """Return the condition "answered on the spot" on petitions.

    Status "answered at the conference", or an answer given on the spot (the status may have moved
    on since, e.g. to resolved). The statistics and the inbox's `answered_on_spot=1` use it.
    """
    spot_answer = Answer.objects.filter(petition=models.OuterRef("pk"), on_spot=True)
    return Q(status=PetitionStatus.ANSWERED_ON_SPOT) | Q(models.Exists(spot_answer))


class RejectionReason(models.TextChoices):
    COMPLAINT = "complaint", _("A complaint (khiếu nại): follows the Law on Complaints")
    DENUNCIATION = "denunciation", _("A denunciation (tố cáo): follows the Law on Denunciations")
    NOT_COMPETENT = "not_competent", _("Not within our competence")
    UNCLEAR = "unclear", _("Unclear or incomplete content")
    DUPLICATE = "duplicate", _("Duplicate of another petition")


class Verdict(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    NOT_RESOLVED = "not_resolved", _("Not resolved")


class Category(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category (lĩnh vực)")
        verbose_name_plural = _("categories (lĩnh vực)")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class PetitionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the petitions `user` may read (their scope and its predecessors, and what their handling unit
        was assigned), with what list pages need."""
        from units.permissions import handling_org_ids, readable_unit_ids

        qs = self.select_related("unit", "category", "handling_org")
        scope = readable_unit_ids(user)
        if scope is None:
            return qs
        org_ids = handling_org_ids(user)
        if org_ids:
            return qs.filter(Q(unit_id__in=scope) | Q(handling_org_id__in=org_ids))
        return qs.filter(unit_id__in=scope)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        """Return open petitions past their deadline (see `past_due_q`: only a timely extension moves it)."""
        today = today or timezone.localdate()
        return self.open().filter(past_due_q(today))

    def public(self):
        """Return petitions that may appear on public pages: never complaints, denunciations or merged ones."""
        return (
            self.exclude(kind__in=ROUTED_OUT_KINDS)
            .exclude(rejection_reason__in=(RejectionReason.COMPLAINT, RejectionReason.DENUNCIATION))
            .filter(duplicate_of__isnull=True)
        )


class Petition(models.Model):
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True, editable=False)
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="petitions",
        verbose_name=_("unit"),
        help_text=_("The unit as it was on the date the petition was received."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PetitionKind.choices)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="petitions", verbose_name=_("category")
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"))
    location = models.CharField(_("location"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PetitionStatus.choices, default=PetitionStatus.SUBMITTED
    )
    rejection_reason = models.CharField(
        _("reason for rejection"), max_length=16, choices=RejectionReason.choices, blank=True
    )
    rejection_note = models.TextField(_("rejection note"), blank=True)
    # The petitioner. Never shown on public pages, in exports by default, in task arguments or logs.
    petitioner_name = models.CharField(_("petitioner's name"), max_length=150, blank=True)
    petitioner_phone = PhoneNumberField(_("phone"), blank=True, db_index=True)
    petitioner_email = models.EmailField(_("e-mail"), blank=True)
    petitioner_address = models.CharField(_("address"), max_length=300, blank=True)
    show_name_publicly = models.BooleanField(
        _("show name publicly"), default=False, help_text=_("Off unless the petitioner asked for it.")
    )
    consent_given_at = models.DateTimeField(
        _("consent to data processing given at"),
        null=True,
        blank=True,
        help_text=_("When the petitioner agreed to the processing of their personal data."),
    )
    anonymised_at = models.DateTimeField(_("contacts erased at"), null=True, blank=True)
    conference = models.ForeignKey(
        Conference,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions",
        verbose_name=_("raised at conference"),
    )
    requested_conference = models.ForeignKey(
        Conference,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requested_petitions",
        verbose_name=_("to be raised at conference"),
        help_text=_("The citizen asked to raise it at this conference."),
    )
    conclusion_items = models.ManyToManyField(
        ConclusionItem, blank=True, related_name="petitions", verbose_name=_("settled by conclusion items")
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    handling_org = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions",
        verbose_name=_("handling unit"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_petitions",
        verbose_name=_("officer in charge"),
    )
    submitted_at = models.DateTimeField(_("received at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    acknowledgement_due_on = models.DateField(_("acknowledgement due on"), null=True, blank=True)
    original_due_on = models.DateField(
        _("original due date"),
        null=True,
        blank=True,
        help_text=_("Set when the petition is accepted or first assigned; an extension never moves it."),
    )
    due_on = models.DateField(
        _("due on"), null=True, blank=True, help_text=_("The answer deadline in force, after any extension.")
    )
    missed_due_on = models.DateField(
        _("deadline missed on"),
        null=True,
        blank=True,
        help_text=_(
            "The deadline that had already passed when it was extended: the petition stays overdue until answered."
        ),
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    verdict = models.CharField(_("citizen's verdict"), max_length=16, choices=Verdict.choices, blank=True)
    rating = models.PositiveSmallIntegerField(_("citizen's rating (1–5)"), null=True, blank=True)
    verdict_at = models.DateTimeField(_("verdict given at"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PetitionQuerySet.as_manager()
    history = HistoricalRecords(bases=[HistoricalRecordWithIP], excluded_fields=["content", "updated_at"])

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status", "submitted_at"], name="petition_unit_status_sub"),
            models.Index(fields=["unit", "submitted_at"], name="petition_unit_submitted"),
            models.Index(fields=["status", "due_on"], name="petition_status_due"),
            models.Index(fields=["handling_org", "status", "due_on"], name="petition_org_status_due"),
            models.Index(fields=["assignee", "status"], name="petition_assignee_status"),
            models.Index(fields=["submitted_at", "id"], name="petition_submitted_id"),
            models.Index(fields=["category", "submitted_at"], name="petition_category_sub"),
            # The statistics count answers and verdicts by the date they were given.
            models.Index(fields=["answered_on"], name="petition_answered_on"),
            models.Index(fields=["verdict_at"], name="petition_verdict_at"),
            # Dashboard and compliance board (reports.stats), measured on 1 million petitions. Each
            # is partial and carries every column its query reads, so PostgreSQL answers from the
            # index alone (an index-only scan; `id` is there because the figures are `COUNT(id)`)
            # instead of visiting ~30,000 scattered table pages:
            # - the work in hand (`petition_workload`, overdue counts): open petitions only;
            models.Index(
                fields=["due_on", "unit", "status", "assignee", "handling_org", "missed_due_on", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="petition_open_due_cover",
            ),
            # - answered on time (`answered_on_time`): answered petitions by answer date;
            models.Index(
                fields=["answered_on", "unit", "due_on", "original_due_on", "id"],
                condition=Q(status__in=ANSWERED_STATUSES),
                name="petition_answered_cover",
            ),
            # - satisfaction (`satisfaction`): petitions with a verdict, by verdict date;
            models.Index(
                fields=["verdict_at", "unit", "verdict", "rating", "id"],
                condition=~Q(verdict=""),
                name="petition_verdict_cover",
            ),
            # - opinions raised at conferences (`opinions`): reached through the conference;
            models.Index(
                fields=["conference", "status", "id"],
                condition=Q(channel=Channel.CONFERENCE),
                name="petition_raised_at_conf",
            ),
            # - petitions received per status / category (`petitions_received`, the inbox counts).
            models.Index(
                fields=["submitted_at", "unit", "status", "category", "id"],
                name="petition_received_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="petition_rating_1_5"
            ),
            models.CheckConstraint(
                condition=~Q(status=PetitionStatus.REJECTED) | ~Q(rejection_reason=""),
                name="petition_rejection_has_reason",
            ),
            models.CheckConstraint(condition=~Q(duplicate_of=models.F("id")), name="petition_not_own_duplicate"),
        ]

    def __str__(self):
        return f"{self.display_code} — {self.title}"

    @property
    def display_code(self):
        return display_tracking_code(self.tracking_code)

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def is_overdue(self, today=None) -> bool:
        """Return True if the petition is open and past its deadline (as `past_due_q`)."""
        today = today or timezone.localdate()
        return self.is_open and any(d is not None and d < today for d in (self.due_on, self.missed_due_on))

    def public_name(self) -> str:
        """Return the name shown publicly: the petitioner's only if they asked for it."""
        if self.show_name_publicly and self.petitioner_name and not self.anonymised_at:
            return self.petitioner_name
        return str(_("A citizen"))


class PetitionAttachment(models.Model):
    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("petition")
    )
    file = models.FileField(_("file"), upload_to=private_upload_to)
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("petition attachment")
        verbose_name_plural = _("petition attachments")

    def __str__(self):
        return self.original_name


class AssignmentKind(models.TextChoices):
    ASSIGN = "assign", _("Assigned")
    TRANSFER = "transfer", _("Transferred")


class Assignment(models.Model):
    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("petition")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=AssignmentKind.choices, default=AssignmentKind.ASSIGN)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("handling unit")
    )
    due_on = models.DateField(_("due on"))
    note = models.TextField(_("instructions"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("assigned by")
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["petition", "assigned_at"]

    def __str__(self):
        return f"{self.petition.display_code} → {self.organisation}"


class Extension(models.Model):
    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("petition")
    )
    previous_due_on = models.DateField(_("previous due date"))
    new_due_on = models.DateField(_("new due date"))
    reason = models.TextField(_("reason"))
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("extended by")
    )
    extended_at = models.DateTimeField(_("extended at"), default=timezone.now)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["petition", "extended_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_due_on__gt=models.F("previous_due_on")), name="extension_moves_later"
            ),
        ]

    def __str__(self):
        return f"{self.previous_due_on:%d/%m/%Y} → {self.new_due_on:%d/%m/%Y}"


class Answer(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="answers", verbose_name=_("petition"))
    text = models.TextField(_("answer"))
    on_spot = models.BooleanField(_("given at the conference"), default=False)
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    evidence = models.FileField(_("evidence file"), upload_to=private_upload_to, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["petition", "answered_at"]
        constraints = [
            # A written answer carries its evidence: the document's number and date.
            models.CheckConstraint(
                condition=Q(on_spot=True) | (~Q(document_number="") & Q(document_date__isnull=False)),
                name="written_answer_has_document",
            ),
        ]

    def __str__(self):
        return self.text[:80]


class CitizenVerdict(models.Model):
    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="verdicts", verbose_name=_("petition")
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.SET_NULL, null=True, blank=True, related_name="verdicts", verbose_name=_("answer")
    )
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        verbose_name = _("citizen's verdict")
        verbose_name_plural = _("citizens' verdicts")
        ordering = ["petition", "given_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="verdict_rating_1_5"
            ),
        ]

    def __str__(self):
        return self.get_verdict_display()


class AnswerTemplate(models.Model):
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answer_templates",
        verbose_name=_("unit"),
        help_text=_("Empty: available to every unit."),
    )
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("category"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        ordering = ["title"]

    def __str__(self):
        return self.title


# --- Fetch and authorise ------------------------------------------------------------------------
# `get_<model>_for_user(user, pk, *, action=predicate)`: a 404 for what `user` may not see, a 403
# when they see it but `action(user, obj)` is False (see `conferences.models.get_conference_for_user`).


def get_petition_for_user(user, pk, *, action=None) -> Petition:
    petition = get_object_or_404(Petition.objects.visible_to(user), pk=pk)
    if action is not None and not action(user, petition):
        raise PermissionDenied
    return petition


def get_petition_attachment_for_user(user, pk) -> "PetitionAttachment":
    visible = Petition.objects.visible_to(user).values("pk")
    return get_object_or_404(PetitionAttachment.objects.filter(petition_id__in=visible), pk=pk)


def get_answer_for_user(user, pk) -> "Answer":
    return get_object_or_404(
        Answer.objects.filter(petition_id__in=Petition.objects.visible_to(user).values("pk")), pk=pk
    )
