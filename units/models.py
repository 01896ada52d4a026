"""Administrative units as a versioned tree, their organisations, and people's roles in them.

Units change: since 1/7/2025 districts are abolished and wards were merged and split. A unit
row is one version (valid_from … valid_to); a GSO code identifies a unit only together with a
date, because codes were reused after the reform (00598 was Liên Mạc, then Thượng Cát).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    CITY = "city", _("City / province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune / ward")


class UnitKind(models.TextChoices):
    CITY = "thanh_pho", _("City (thành phố)")
    PROVINCE = "tinh", _("Province (tỉnh)")
    URBAN_DISTRICT = "quan", _("Urban district (quận)")
    RURAL_DISTRICT = "huyen", _("Rural district (huyện)")
    TOWN = "thi_xa", _("Town (thị xã)")
    WARD = "phuong", _("Ward (phường)")
    COMMUNE = "xa", _("Commune (xã)")
    TOWNLET = "thi_tran", _("Township (thị trấn)")
    SPECIAL_ZONE = "dac_khu", _("Special zone (đặc khu)")


KIND_LEVEL = {
    UnitKind.CITY: UnitLevel.CITY,
    UnitKind.PROVINCE: UnitLevel.CITY,
    UnitKind.URBAN_DISTRICT: UnitLevel.DISTRICT,
    UnitKind.RURAL_DISTRICT: UnitLevel.DISTRICT,
    UnitKind.TOWN: UnitLevel.DISTRICT,
    UnitKind.WARD: UnitLevel.COMMUNE,
    UnitKind.COMMUNE: UnitLevel.COMMUNE,
    UnitKind.TOWNLET: UnitLevel.COMMUNE,
    UnitKind.SPECIAL_ZONE: UnitLevel.COMMUNE,
}


class AdministrativeUnitQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        """Return the units that existed on `day`."""
        return self.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def current(self):
        """Return today's units."""
        from django.utils import timezone

        return self.valid_on(timezone.localdate())

    def with_code_on(self, code: str, day: datetime.date):
        """Return the unit that bore `code` on `day` (raises DoesNotExist when none did)."""
        return self.valid_on(day).get(code=code)

    def communes(self):
        return self.filter(level=UnitLevel.COMMUNE)


class AdministrativeUnit(models.Model):
    name = models.CharField(_("name"), max_length=150)
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    code = models.CharField(
        _("official code"),
        max_length=10,
        db_index=True,
        help_text=_("GSO code. Codes were reused in 2025, so a code names a unit only together with a date."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Empty while the unit exists."))
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    path = models.CharField(
        _("tree path"),
        max_length=255,
        db_index=True,
        editable=False,
        default="",
        help_text=_("Ids from the root down, e.g. /1/4/17/; used to find a subtree in one query."),
    )

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "name", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_valid_from_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_to_after_valid_from",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display_short()} {self.name}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"  # type: ignore[union-attr]
        depth = (self.parent.depth + 1) if self.parent_id else 0  # type: ignore[union-attr]
        if path != self.path or depth != self.depth:
            self.path, self.depth = path, depth
            AdministrativeUnit.objects.filter(pk=self.pk).update(path=path, depth=depth)
            for child in self.children.all():
                child.save()

    def clean(self):
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end of validity cannot be before its start.")})
        overlapping = AdministrativeUnit.objects.filter(code=self.code).exclude(pk=self.pk)
        overlapping = overlapping.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.valid_to:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        if self.code and overlapping.exists():
            raise ValidationError(
                {"code": _("Another unit bears this code during the same period. A code names one unit at a time.")}
            )
        if self.parent_id and self.parent.level == self.level:  # type: ignore[union-attr]
            raise ValidationError({"parent": _("A unit's parent must be of a higher level.")})

    def get_kind_display_short(self):
        return {  # type: ignore[call-overload]
            UnitKind.CITY: "TP.",
            UnitKind.PROVINCE: "Tỉnh",
            UnitKind.URBAN_DISTRICT: "Quận",
            UnitKind.RURAL_DISTRICT: "Huyện",
            UnitKind.TOWN: "Thị xã",
            UnitKind.WARD: "Phường",
            UnitKind.COMMUNE: "Xã",
            UnitKind.TOWNLET: "Thị trấn",
            UnitKind.SPECIAL_ZONE: "Đặc khu",
        }.get(self.kind, "")

    def is_valid_on(self, day: datetime.date) -> bool:
        """Return True if the unit existed on `day`."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def subtree(self):
        """Return this unit and every unit below it, past and present."""
        return AdministrativeUnit.objects.filter(path__startswith=self.path)

    def ancestor_ids(self) -> list[int]:
        """Return the ids of this unit and of every unit above it (from its path)."""
        return [int(part) for part in (self.path or "").strip("/").split("/") if part] or [self.pk]

    def successor_units(self):
        """Return the units that succeeded this one (whole or part), the primary successor first."""
        return AdministrativeUnit.objects.filter(predecessions__predecessor=self).order_by(
            "-predecessions__is_primary", "name", "-valid_from"
        )


class SuccessionKind(models.TextChoices):
    WHOLE = "whole", _("Whole (the old unit's whole area)")
    PART = "part", _("Part (a part of the old unit's area)")


class UnitSuccession(models.Model):
    predecessor = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.CASCADE,
        related_name="successions",
        verbose_name=_("old unit"),
    )
    successor = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.CASCADE,
        related_name="predecessions",
        verbose_name=_("new unit"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=SuccessionKind.choices, default=SuccessionKind.WHOLE)
    effective_on = models.DateField(_("effective on"))
    is_primary = models.BooleanField(
        _("primary successor"),
        default=False,
        help_text=_("The new unit that takes over the old unit's open petitions and counts its history."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        ordering = ["effective_on", "predecessor__name"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique_pair"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="succession_not_self"),
        ]

    def __str__(self):
        return f"{self.predecessor.name} → {self.successor.name} ({self.get_kind_display()})"


class OrganisationKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee (Đảng ủy / Cấp ủy)")
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee (UBND)")
    PEOPLES_COUNCIL = "peoples_council", _("People's Council (HĐND)")
    FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front (MTTQ)")
    SOCIO_POLITICAL = "socio_political", _("Socio-political organisation")
    MASS_MOBILISATION = "mass_mobilisation", _("Mass mobilisation board (Ban Dân vận)")
    HANDLING_UNIT = "handling_unit", _("Handling unit (specialised office)")


class OrganisationQuerySet(models.QuerySet):
    def handling_units(self):
        return self.filter(kind=OrganisationKind.HANDLING_UNIT, is_active=True)

    def serving(self, *units):
        """Return the active handling units that serve `units`: their own and those of the units above them.

        The one definition of "serves this unit": a petition is assigned or transferred only to one of them.
        """
        ids = {uid for unit in units for uid in unit.ancestor_ids()}
        return self.handling_units().filter(unit_id__in=ids)


class Organisation(models.Model):
    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["unit__name", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="organisation_unique_name_in_unit")]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    UNIT_OFFICIAL = "unit_official", _("Unit official")
    SUPERVISOR = "supervisor", _("Supervising official")
    CHAIR = "chair", _("Chair (head of the Party committee or government)")
    HANDLING_OFFICER = "handling_officer", _("Handling unit officer")
    FRONT_SUPERVISOR = "front_supervisor", _("Front supervisor (MTTQ)")


# Roles whose scope is the whole subtree below their unit.
SUBTREE_ROLES = {Role.SUPERVISOR, Role.FRONT_SUPERVISOR}
# Django group that carries each role's model permissions (created by a data migration).
ROLE_GROUPS: dict[str, str] = {
    Role.UNIT_OFFICIAL: "Cán bộ phường",
    Role.SUPERVISOR: "Cán bộ giám sát cấp trên",
    Role.CHAIR: "Người đứng đầu",
    Role.HANDLING_OFFICER: "Cán bộ cơ quan chuyên môn",
    Role.FRONT_SUPERVISOR: "Giám sát MTTQ",
}


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
        help_text=_("For a handling officer: the office whose petitions they handle."),
    )
    title = models.CharField(_("position"), max_length=150, blank=True, help_text=_("E.g. 'Bí thư Đảng ủy phường'."))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role_in_unit"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.unit}"
