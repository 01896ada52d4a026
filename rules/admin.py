from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.admin_exports import SharedAdmin
from rules.models import Holiday, Rule


@admin.register(Rule)
class RuleAdmin(SharedAdmin):
    list_display = ["key", "level", "value", "valid_from", "valid_to", "in_force_today", "legal_basis"]
    list_filter = ["key", "level", ("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["legal_basis"]
    date_hierarchy = "valid_from"
    export_fields = ["key", "level", "value", "valid_from", "valid_to", "legal_basis"]

    @admin.display(description=_("in force today"), boolean=True)
    def in_force_today(self, obj):
        today = timezone.localdate()
        return obj.valid_from <= today and (obj.valid_to is None or today <= obj.valid_to)


@admin.register(Holiday)
class HolidayAdmin(SharedAdmin):
    list_display = ["date", "weekday", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
    export_fields = ["date", "kind", "name"]

    @admin.display(description=_("day of the week"))
    def weekday(self, obj):
        from django.utils.formats import date_format

        return date_format(obj.date, "l")
