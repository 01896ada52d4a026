"""What follows a conference: the follow-up notice (thông báo kết luận), the Front's
supervision of the conclusions, and commendations (biểu dương, khen thưởng)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit.models import HistoricalRecordWithIP
from conferences.models import ConclusionItem, Conference, Document
from petitions.models import Petition
from units.models import AdministrativeUnit, Organisation


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


NOTICE_TRANSITIONS = {
    NoticeStatus.DRAFT: {NoticeStatus.APPROVED},
    NoticeStatus.APPROVED: {NoticeStatus.PUBLISHED, NoticeStatus.DRAFT},
    NoticeStatus.PUBLISHED: set(),
}


class NoticeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=NoticeStatus.PUBLISHED)

    def visible_to(self, user):
        """Return the notices `user` may read (their scope and its predecessors)."""
        from units.permissions import readable_unit_ids

        scope = readable_unit_ids(user)
        qs = self.select_related("unit", "conference")
        return qs if scope is None else qs.filter(unit_id__in=scope)


class FollowUpNotice(models.Model):
    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="notices", verbose_name=_("unit")
    )
    conference = models.ForeignKey(
        Conference,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("conference"),
    )
    number = models.CharField(_("number"), max_length=64, blank=True, help_text=_("E.g. 12-TB/ĐU or 12/TB-UBND."))
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT, db_index=True
    )
    due_on = models.DateField(
        _("due on"), null=True, blank=True, help_text=_("Publication deadline from the rule in force.")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    posted_at = models.TextField(
        _("where posted"), blank=True, help_text=_("E.g. the ward's notice board, the loudspeakers, the portal.")
    )
    document = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("signed document"),
    )
    conclusion_items = models.ManyToManyField(
        ConclusionItem, blank=True, related_name="notices", verbose_name=_("conclusion items")
    )
    petitions = models.ManyToManyField(Petition, blank=True, related_name="notices", verbose_name=_("petitions"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
        help_text=_("The published notice this one corrects; both stay public, the older marked as replaced."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = NoticeQuerySet.as_manager()
    history = HistoricalRecords(bases=[HistoricalRecordWithIP], excluded_fields=["text"])

    class Meta:
        verbose_name = _("follow-up notice")
        verbose_name_plural = _("follow-up notices")
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["unit", "status", "published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=NoticeStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="published_notice_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.number or _('(unnumbered)')} — {self.title}"

    def published_replacement(self):
        """Return the published notice that replaces this one, or None."""
        return self.replaced_by.filter(status=NoticeStatus.PUBLISHED).order_by("-published_at").first()


class Finding(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")


class SupervisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the supervision findings `user` may read (their scope and its predecessors)."""
        from units.permissions import readable_unit_ids

        scope = readable_unit_ids(user)
        qs = self.select_related("unit", "conclusion_item", "petition", "supervisor")
        return qs if scope is None else qs.filter(unit_id__in=scope)

    def recheck_due(self, today):
        return self.filter(recheck_on__lte=today, rechecked_at__isnull=True)


class Supervision(models.Model):
    """A Front (MTTQ) supervisor's finding on whether a conclusion or petition was carried out."""

    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="supervisions", verbose_name=_("unit supervised")
    )
    conclusion_item = models.ForeignKey(
        ConclusionItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="supervisions",
        verbose_name=_("conclusion item"),
    )
    petition = models.ForeignKey(
        Petition,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="supervisions",
        verbose_name=_("petition"),
    )
    subject = models.CharField(_("what was supervised"), max_length=300)
    finding = models.CharField(_("finding"), max_length=8, choices=Finding.choices)
    recommendation = models.TextField(_("recommendation"), blank=True)
    recheck_on = models.DateField(_("re-check on"), null=True, blank=True)
    rechecked_at = models.DateTimeField(_("re-checked at"), null=True, blank=True)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("supervisor")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supervising organisation"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Front supervision")
        verbose_name_plural = _("Front supervisions")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(conclusion_item__isnull=False) | Q(petition__isnull=False),
                name="supervision_has_subject",
            ),
        ]

    def __str__(self):
        return f"{self.subject} — {self.get_finding_display()}"


class CommendationKind(models.TextChoices):
    COLLECTIVE = "collective", _("Collective")
    INDIVIDUAL = "individual", _("Individual")


class Commendation(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=CommendationKind.choices)
    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="commendations", verbose_name=_("unit")
    )
    recipient = models.CharField(_("recipient"), max_length=200, help_text=_("The collective's or person's name."))
    reason = models.TextField(_("for"))
    year = models.PositiveSmallIntegerField(_("year"))
    decision = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commendations",
        verbose_name=_("decision"),
    )
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-year", "recipient"]

    def __str__(self):
        return f"{self.recipient} ({self.year})"


# --- Fetch and authorise ------------------------------------------------------------------------
# `get_<model>_for_user(user, pk, *, action=predicate)`: a 404 for what `user` may not see, a 403
# when they see it but `action(user, obj)` is False (see `conferences.models.get_conference_for_user`).


def get_notice_for_user(user, pk, *, action=None) -> FollowUpNotice:
    notice = get_object_or_404(FollowUpNotice.objects.visible_to(user), pk=pk)
    if action is not None and not action(user, notice):
        raise PermissionDenied
    return notice


def get_supervision_for_user(user, pk, *, action=None) -> Supervision:
    """Return a finding in scope; `action` is asked about the finding's unit (as `can_supervise` is)."""
    supervision = get_object_or_404(Supervision.objects.visible_to(user), pk=pk)
    if action is not None and not action(user, supervision.unit):
        raise PermissionDenied
    return supervision
