"""Directives, yearly dialogue plans, conferences, their minutes and conclusions.

Allowed state transitions sit beside each status enumeration; `conferences.services` is the
only code that changes a status, and it checks these tables.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit.models import HistoricalRecordWithIP
from conferences.uploads import private_upload_to
from units.models import AdministrativeUnit, Organisation


class DocumentType(models.TextChoices):
    DIRECTIVE = "directive", _("Directive / decision (QĐ)")
    PLAN = "plan", _("Plan (KH)")
    INVITATION = "invitation", _("Invitation (GM)")
    MINUTES = "minutes", _("Minutes (BB)")
    NOTICE = "notice", _("Notice (TB)")
    REPORT = "report", _("Report (BC)")
    COMMENDATION = "commendation", _("Commendation decision (QĐ)")
    OTHER = "other", _("Other")


class Document(models.Model):
    """An official document, numbered the Vietnamese way: `85-KH/QU` (Party) or `85/KH-UBND` (State)."""

    doc_type = models.CharField(_("type"), max_length=16, choices=DocumentType.choices)
    number = models.CharField(_("number"), max_length=64, help_text=_("E.g. 2200-QĐ/TU or 85/KH-UBND."))
    issued_on = models.DateField(_("date of issue"))
    issuer = models.CharField(_("issued by"), max_length=200, help_text=_("E.g. Thành ủy Hà Nội."))
    signer = models.CharField(_("signed by"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=500)
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("unit"),
        help_text=_("The unit that issued it; empty for a city-wide directive."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implementing_documents",
        verbose_name=_("implements"),
        help_text=_("The directive this document implements."),
    )
    file = models.FileField(_("file"), upload_to="documents/%Y/", blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["number", "issued_on", "issuer"], name="document_unique_number"),
        ]

    def __str__(self):
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    IN_PROGRESS = "in_progress", _("Being carried out")
    COMPLETED = "completed", _("Completed")


# The unit's officials submit a draft; the chair or a supervisor approves it or returns it to draft.
# An approved plan is carried out as its conferences are scheduled; it is no longer changed.
PLAN_TRANSITIONS = {
    PlanStatus.DRAFT: {PlanStatus.SUBMITTED},
    PlanStatus.SUBMITTED: {PlanStatus.APPROVED, PlanStatus.DRAFT},
    PlanStatus.APPROVED: {PlanStatus.IN_PROGRESS},
    PlanStatus.IN_PROGRESS: {PlanStatus.COMPLETED},
    PlanStatus.COMPLETED: set(),
}


class ConferenceKind(models.TextChoices):
    PERIODIC = "periodic", _("Periodic (định kỳ)")
    ADHOC = "adhoc", _("Ad-hoc (đột xuất)")


class ConferenceFormat(models.TextChoices):
    VOTER_BEFORE_NA = "voter_before_na", _("Voter contact before a National Assembly session")
    VOTER_AFTER_NA = "voter_after_na", _("Voter contact after a National Assembly session")
    VOTER_BEFORE_PC = "voter_before_pc", _("Voter contact before a People's Council session")
    VOTER_AFTER_PC = "voter_after_pc", _("Voter contact after a People's Council session")
    WORKING_SESSION_MTTQ = "working_session_mttq", _("Working session with MTTQ and the socio-political organisations")
    THEMATIC = "thematic", _("Thematic dialogue (chuyên đề)")
    COMMUNE_CHAIR = "commune_chair", _("Commune chairman's dialogue")


class DialoguePlan(models.Model):
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="plans", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    document = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("plan document"),
        help_text=_("The signed plan, e.g. 85-KH/QU."),
    )
    status = models.CharField(_("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    notes = models.TextField(_("notes"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(bases=[HistoricalRecordWithIP])

    class Meta:
        verbose_name = _("yearly dialogue plan")
        verbose_name_plural = _("yearly dialogue plans")
        ordering = ["-year", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="plan_one_per_unit_and_year")]

    def __str__(self):
        return f"{self.title} ({self.year})"


class PlanItem(models.Model):
    plan = models.ForeignKey(DialoguePlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), null=True, blank=True, choices=[(q, format_lazy("{} {}", _("Quarter"), q)) for q in range(1, 5)]
    )
    month = models.PositiveSmallIntegerField(
        _("month"), null=True, blank=True, choices=[(m, format_lazy("{} {}", _("Month"), m)) for m in range(1, 13)]
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ConferenceKind.choices, default=ConferenceKind.PERIODIC)
    format = models.CharField(_("format"), max_length=32, choices=ConferenceFormat.choices)
    topic = models.CharField(_("topic"), max_length=300)
    chair = models.CharField(_("chair"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("planned conference")
        verbose_name_plural = _("planned conferences")
        ordering = ["plan", "quarter", "month", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__isnull=False) | Q(month__isnull=False), name="plan_item_has_quarter_or_month"
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4), name="plan_item_quarter_1_4"
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12), name="plan_item_month_1_12"
            ),
        ]

    def __str__(self):
        when = f"T{self.month}" if self.month else f"Q{self.quarter}"
        return f"{when}/{self.plan.year}: {self.topic}"


class ConferenceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ANNOUNCED = "announced", _("Announced")
    HELD = "held", _("Held")
    CONCLUDED = "concluded", _("Concluded (notice published)")
    CLOSED = "closed", _("Closed")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


CONFERENCE_TRANSITIONS = {
    ConferenceStatus.PLANNED: {ConferenceStatus.ANNOUNCED, ConferenceStatus.POSTPONED, ConferenceStatus.CANCELLED},
    ConferenceStatus.ANNOUNCED: {ConferenceStatus.HELD, ConferenceStatus.POSTPONED, ConferenceStatus.CANCELLED},
    ConferenceStatus.POSTPONED: {ConferenceStatus.PLANNED, ConferenceStatus.ANNOUNCED, ConferenceStatus.CANCELLED},
    ConferenceStatus.HELD: {ConferenceStatus.CONCLUDED},
    ConferenceStatus.CONCLUDED: {ConferenceStatus.CLOSED},
    ConferenceStatus.CLOSED: set(),
    ConferenceStatus.CANCELLED: set(),
}
# A conference counts as held once it was held, whatever came after.
HELD_STATUSES = (ConferenceStatus.HELD, ConferenceStatus.CONCLUDED, ConferenceStatus.CLOSED)


class MinutesStatus(models.TextChoices):
    NONE = "none", _("No minutes yet")
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    LOCKED = "locked", _("Locked")


MINUTES_TRANSITIONS = {
    MinutesStatus.NONE: {MinutesStatus.DRAFT},
    MinutesStatus.DRAFT: {MinutesStatus.APPROVED},
    MinutesStatus.APPROVED: {MinutesStatus.LOCKED, MinutesStatus.DRAFT},
    MinutesStatus.LOCKED: set(),
}


class ConferenceQuerySet(models.QuerySet):
    def held(self):
        return self.filter(status__in=HELD_STATUSES)

    def visible_to(self, user):
        """Return the conferences `user` may read (their scope and its predecessors), with what list pages need."""
        from units.permissions import readable_unit_ids

        scope = readable_unit_ids(user)
        qs = self.select_related("unit", "unit__parent")
        return qs if scope is None else qs.filter(unit_id__in=scope)

    def public(self):
        """Return conferences shown on the public pages (not cancelled drafts of the future)."""
        return self.exclude(status=ConferenceStatus.CANCELLED).select_related("unit")


class Conference(models.Model):
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="conferences",
        verbose_name=_("unit"),
        help_text=_("The organising unit as it was on the conference date."),
    )
    plan_item = models.ForeignKey(
        PlanItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conferences",
        verbose_name=_("planned conference it fulfils"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ConferenceKind.choices, db_index=True)
    format = models.CharField(_("format"), max_length=32, choices=ConferenceFormat.choices)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=16, choices=ConferenceStatus.choices, default=ConferenceStatus.PLANNED, db_index=True
    )
    chair = models.CharField(_("chair"), max_length=200, blank=True, help_text=_("Name and position."))
    chair_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_conferences",
        verbose_name=_("chair's account"),
        help_text=_("Receives the reminders."),
    )
    co_organisers = models.ManyToManyField(
        Organisation, blank=True, related_name="co_organised_conferences", verbose_name=_("co-organisers")
    )
    invited_groups = models.TextField(_("invited groups"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    planned_start = models.DateTimeField(_("planned start"), db_index=True)
    planned_end = models.DateTimeField(_("planned end"), null=True, blank=True)
    held_on = models.DateField(
        _("held on"), null=True, blank=True, db_index=True, help_text=_("The date it actually took place.")
    )
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    invitation_sent_on = models.DateField(_("invitation sent on"), null=True, blank=True)
    topics = models.TextField(_("topics"), blank=True, help_text=_("One per line."))
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    related_project = models.CharField(
        _("related project"),
        max_length=300,
        blank=True,
        help_text=_("For an ad-hoc land-clearance dialogue, e.g. 'Vành đai 3'."),
    )
    status_reason = models.TextField(_("reason for postponing or cancelling"), blank=True)
    minutes_status = models.CharField(
        _("minutes"), max_length=16, choices=MinutesStatus.choices, default=MinutesStatus.NONE
    )
    minutes_text = models.TextField(_("minutes text"), blank=True)
    minutes_file = models.FileField(_("minutes file"), upload_to=private_upload_to, blank=True)
    opinions_raised_count = models.PositiveIntegerField(
        _("opinions raised (recorded count)"),
        null=True,
        blank=True,
        help_text=_("For conferences imported from before the portal, whose opinions are not recorded one by one."),
    )
    answered_on_spot_count = models.PositiveIntegerField(
        _("answered on the spot (recorded count)"), null=True, blank=True
    )
    external_ref = models.CharField(
        _("external reference"),
        max_length=100,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Identifier in an imported file; re-importing it updates this conference."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ConferenceQuerySet.as_manager()
    history = HistoricalRecords(bases=[HistoricalRecordWithIP], excluded_fields=["minutes_text"])

    class Meta:
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        ordering = ["-planned_start"]
        indexes = [
            models.Index(fields=["unit", "status", "planned_start"]),
            models.Index(fields=["status", "held_on"]),
        ]

    def __str__(self):
        return f"{self.title} ({self.planned_start:%d/%m/%Y})"

    @property
    def date(self):
        """Return the date that places the conference in time: held on, else planned."""
        from django.utils import timezone

        return self.held_on or timezone.localdate(self.planned_start)

    @property
    def originally_planned_start(self):
        """Return the start planned before the first postponement (the planned start if never postponed).

        Reads `postponements` (prefetch it on lists).
        """
        moves = list(self.postponements.all())
        return min(moves, key=lambda m: (m.postponed_at, m.pk)).from_start if moves else self.planned_start

    @property
    def level(self):
        return self.unit.level


class ConferencePostponement(models.Model):
    """One move of a conference's planned date by postponing it: from which date, to which, why, by whom.

    Rows are only ever added (`conferences.services.postpone_conference`; `reschedule_conference`
    gives a postponement without a date its new date), so the date first planned and every move
    after it stay known: a conference planned in Q3 and postponed into Q4 counts as postponed in Q3
    (`reports.stats.conferences_not_held`).
    """

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="postponements", verbose_name=_("conference")
    )
    from_start = models.DateTimeField(_("planned start before"))
    to_start = models.DateTimeField(
        _("new planned start"), null=True, blank=True, help_text=_("Empty while no new date has been set.")
    )
    reason = models.TextField(_("reason"), blank=True)
    postponed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("postponed by"),
    )
    postponed_at = models.DateTimeField(_("postponed at"), default=timezone.now)

    class Meta:
        verbose_name = _("postponement")
        verbose_name_plural = _("postponements")
        ordering = ["conference", "postponed_at", "pk"]
        indexes = [models.Index(fields=["from_start", "conference"], name="postponement_from")]

    def __str__(self):
        to = f"{timezone.localtime(self.to_start):%d/%m/%Y}" if self.to_start else "?"
        return f"{timezone.localtime(self.from_start):%d/%m/%Y} → {to}"


class ConferenceParticipation(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="participations", verbose_name=_("conference")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("organisation")
    )
    group = models.CharField(_("group"), max_length=200, blank=True, help_text=_("E.g. 'Cử tri tổ dân phố số 3'."))
    count = models.PositiveIntegerField(_("number of participants"))

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self):
        return f"{self.organisation or self.group}: {self.count}"


class ConferenceAttachment(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("conference")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=private_upload_to)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conference attachment")
        verbose_name_plural = _("conference attachments")

    def __str__(self):
        return self.title


class ConclusionStatus(models.TextChoices):
    OPEN = "open", _("Being carried out")
    DONE = "done", _("Carried out")


class ConclusionItem(models.Model):
    """One item of a conference's conclusions: what is to be done, by whom, by when."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="conclusions", verbose_name=_("conference")
    )
    number = models.PositiveSmallIntegerField(_("item number"))
    text = models.TextField(_("conclusion"))
    assignee = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conclusion_items",
        verbose_name=_("assigned to"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ConclusionStatus.choices, default=ConclusionStatus.OPEN
    )
    done_on = models.DateField(_("carried out on"), null=True, blank=True)

    class Meta:
        verbose_name = _("conclusion item")
        verbose_name_plural = _("conclusion items")
        ordering = ["conference", "number"]
        constraints = [models.UniqueConstraint(fields=["conference", "number"], name="conclusion_unique_number")]

    def __str__(self):
        return f"{self.number}. {self.text[:80]}"
