from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audit.admin_actions import ServiceAddAdminMixin, run_service_on_each, service_refusal
from audit.services import client_ip, record_event
from conferences import services
from conferences.importers import ImportFileError, import_conferences
from conferences.models import (
    HELD_STATUSES,
    ConclusionItem,
    Conference,
    ConferenceAttachment,
    ConferenceParticipation,
    ConferencePostponement,
    ConferenceStatus,
    DialoguePlan,
    Document,
    MinutesStatus,
    PlanItem,
    PlanStatus,
)
from conferences.permissions import can_approve_minutes, can_approve_plan, can_manage_conferences
from conferences.uploads import ADMIN_FILE_OVERRIDES
from units.access import unit_ids_allowed
from units.admin_mixins import DomainAdmin, ScopedChoicesMixin, unit_filter


class HistoryAdmin(SimpleHistoryAdmin):
    """History without revert: reverting a snapshot would be a raw status edit."""

    def revert_disabled(self, request, obj=None):
        return True


# --- Documents ---------------------------------------------------------------------------------


@admin.register(Document)
class DocumentAdmin(DomainAdmin):
    formfield_overrides = {models.FileField: ADMIN_FILE_OVERRIDES}
    unit_optional = True  # a city-wide directive (Decision 2200) has no unit: every official reads it
    list_display = ["number", "doc_type", "issued_on", "issuer", "signer", "title", "unit"]
    list_filter = ["doc_type", unit_filter()]
    list_select_related = ["unit"]
    search_fields = ["number", "title", "issuer"]
    date_hierarchy = "issued_on"
    autocomplete_fields = ["unit", "parent"]
    export_fields = ["number", "doc_type", "issued_on", "issuer", "signer", "title", "unit", "parent"]


# --- Plans -------------------------------------------------------------------------------------


class PlanItemInline(admin.TabularInline):
    """The planned conferences; once the plan is approved only a superuser may still change them."""

    model = PlanItem
    extra = 0
    fields = ["quarter", "month", "kind", "format", "topic", "chair"]

    def _editable(self, request, obj):
        return obj is None or obj.status == PlanStatus.DRAFT or request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)


@transaction.atomic
def _submit_and_approve(plan, *, by, ip):
    """Approve `plan`. An administrator recording a plan approved on paper submits its draft first,
    so that its history still reads draft → submitted → approved (both or neither)."""
    if plan.status == PlanStatus.DRAFT:
        plan = services.submit_plan(plan=plan, by=by, ip=ip)
    return services.approve_plan(plan=plan, by=by, ip=ip)


@admin.register(DialoguePlan)
class DialoguePlanAdmin(ServiceAddAdminMixin, DomainAdmin, HistoryAdmin):
    """Plans go through the services: "add" calls `create_plan`, "change" calls `update_plan` (a draft's
    title, year, notes and document); the unit and status are read-only (use the actions)."""

    list_display = ["title", "unit", "year", "status", "document", "item_count", "approved_at"]
    list_filter = ["status", "year", unit_filter()]
    list_select_related = ["unit", "document"]
    search_fields = ["title", "unit__name", "document__number"]
    autocomplete_fields = ["unit", "document"]
    readonly_fields = ["status", "approved_by", "approved_at", "created_at"]
    fields = ["unit", "year", "title", "document", "notes", "status", "approved_by", "approved_at", "created_at"]
    inlines = [PlanItemInline]
    actions = [*DomainAdmin.actions, "submit", "approve", "start", "complete", "return_to_draft"]
    export_fields = ["unit", "unit__code", "year", "title", "document", "status", "approved_at"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_item_count=Count("items"))

    @admin.display(description=_("planned conferences"), ordering="_item_count")
    def item_count(self, obj):
        return obj._item_count

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if obj is None else [*fields, "unit"]

    def create_through_service(self, request, data):
        return services.create_plan(
            unit=data.get("unit"),
            year=data.get("year"),
            title=data.get("title") or "",
            document=data.get("document"),
            notes=data.get("notes") or "",
            by=request.user,
            ip=client_ip(request),
        )

    def _changes(self, form) -> dict:
        return {name: form.cleaned_data[name] for name in services.PLAN_EDITABLE_FIELDS if name in form.changed_data}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form_class
        model_admin = self

        class ServiceChangeForm(form_class):
            def clean(self):
                cleaned = super().clean()
                changes = model_admin._changes(self) if not self._errors else {}
                if changes:
                    refusal = service_refusal(
                        lambda: services.update_plan(plan=obj, by=request.user, ip=client_ip(request), **changes)
                    )
                    if refusal:
                        raise forms.ValidationError(refusal)
                return cleaned

        return ServiceChangeForm

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)  # ServiceAddAdminMixin: create_plan
            return
        changes = self._changes(form)
        if changes:
            services.update_plan(plan=obj, by=request.user, ip=client_ip(request), **changes)
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        """Write a history row on the plan for every planned conference added, changed or removed here
        (as the services do); past the draft only a superuser gets here, and the row says so."""
        if formset.model is not PlanItem:
            return super().save_formset(request, form, formset, change)
        plan = form.instance
        super().save_formset(request, form, formset, change)
        ip = client_ip(request)
        data = {"via": "admin", "plan_status": plan.status}
        for item in formset.new_objects:
            record_event(
                obj=plan, action="item_added", by=request.user, ip=ip, note=item.topic, data={**data, "item": item.pk}
            )
        for item, fields in formset.changed_objects:
            record_event(
                obj=plan,
                action="item_edited",
                by=request.user,
                ip=ip,
                note=item.topic,
                data={**data, "item": item.pk, "fields": list(fields)},
            )
        for item in formset.deleted_objects:
            record_event(obj=plan, action="item_deleted", by=request.user, ip=ip, note=item.topic, data=data)
        if plan.status != PlanStatus.DRAFT and (
            formset.new_objects or formset.changed_objects or formset.deleted_objects
        ):
            self.message_user(
                request,
                gettext("The plan is no longer a draft: the change of its planned conferences is in its history."),
                messages.WARNING,
            )

    @admin.action(description=_("Submit the selected plans for approval"), permissions=["change"])
    def submit(self, request, queryset):
        run_service_on_each(
            self,
            request,
            queryset,
            lambda plan: services.submit_plan(plan=plan, by=request.user, ip=client_ip(request)),
            allowed=lambda user, plan: can_manage_conferences(user, plan.unit),
            done_message=gettext("%(count)s plan(s) submitted for approval."),
        )

    @admin.action(description=_("Approve the selected plans (a draft is submitted first)"), permissions=["change"])
    def approve(self, request, queryset):
        run_service_on_each(
            self,
            request,
            queryset,
            lambda plan: _submit_and_approve(plan, by=request.user, ip=client_ip(request)),
            allowed=can_approve_plan,
            done_message=gettext("%(count)s plan(s) approved."),
        )

    @admin.action(description=_("Mark the selected plans in progress"), permissions=["change"])
    def start(self, request, queryset):
        run_service_on_each(
            self,
            request,
            queryset,
            lambda plan: services.start_plan(plan=plan, by=request.user, ip=client_ip(request)),
            allowed=lambda user, plan: can_manage_conferences(user, plan.unit),
            done_message=gettext("%(count)s plan(s) in progress."),
        )

    @admin.action(description=_("Mark the selected plans completed"), permissions=["change"])
    def complete(self, request, queryset):
        run_service_on_each(
            self,
            request,
            queryset,
            lambda plan: services.complete_plan(plan=plan, by=request.user, ip=client_ip(request)),
            allowed=lambda user, plan: can_manage_conferences(user, plan.unit),
            done_message=gettext("%(count)s plan(s) completed."),
        )

    @admin.action(description=_("Return the selected plans to draft"), permissions=["change"])
    def return_to_draft(self, request, queryset):
        run_service_on_each(
            self,
            request,
            queryset,
            lambda plan: services.return_plan_to_draft(plan=plan, by=request.user, ip=client_ip(request)),
            allowed=can_approve_plan,
            done_message=gettext("%(count)s plan(s) returned to draft."),
        )


@admin.register(PlanItem)
class PlanItemAdmin(DomainAdmin):
    """Planned conferences on their own page: as in the plan's inline, past the draft only a superuser
    changes them, and every change is in the plan's history."""

    unit_lookup = "plan__unit_id"
    scoped_foreign_keys = {"plan": "unit_id"}
    list_display = ["topic", "plan", "quarter", "month", "kind", "format", "chair"]
    list_filter = ["kind", "format", "quarter", unit_filter("plan__unit_id")]
    list_select_related = ["plan", "plan__unit"]
    search_fields = ["topic", "plan__title", "plan__unit__name"]
    autocomplete_fields = ["plan"]
    export_fields = ["plan__unit", "plan__year", "quarter", "month", "kind", "format", "topic", "chair"]

    @staticmethod
    def _editable(request, obj):
        return obj is None or obj.plan.status == PlanStatus.DRAFT or request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "plan" and not request.user.is_superuser:
            field.queryset = field.queryset.filter(status=PlanStatus.DRAFT)
        return field

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_event(
            obj=obj.plan,
            action="item_edited" if change else "item_added",
            by=request.user,
            ip=client_ip(request),
            note=obj.topic,
            data={"via": "admin", "plan_status": obj.plan.status, "item": obj.pk, "fields": form.changed_data},
        )

    def delete_model(self, request, obj):
        record_event(
            obj=obj.plan,
            action="item_deleted",
            by=request.user,
            ip=client_ip(request),
            note=obj.topic,
            data={"via": "admin", "plan_status": obj.plan.status, "item": obj.pk},
        )
        super().delete_model(request, obj)


# --- Conferences -------------------------------------------------------------------------------


class ConclusionItemInline(ScopedChoicesMixin, admin.TabularInline):
    """The conference's conclusions: added (numbered, with history) by `add_conclusion_item` once the
    conference was held; see `ConferenceAdmin.save_formset`. Items are not deleted here."""

    model = ConclusionItem
    extra = 0
    can_delete = False
    fields = ["number", "text", "assignee", "deadline", "status", "done_on"]
    readonly_fields = ["number", "status", "done_on"]
    autocomplete_fields = ["assignee"]
    scoped_foreign_keys = {"assignee": "unit_id"}

    def has_add_permission(self, request, obj=None):
        held = obj is not None and obj.status in (ConferenceStatus.HELD, ConferenceStatus.CONCLUDED)
        return held and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        """Existing items are shown, not edited, here: a correction (text, assignee, deadline) goes through
        `update_conclusion_item` on the portal's conclusions page, with its confirmation, history and the
        refusal once the notice is published."""
        return False


class ParticipationInline(ScopedChoicesMixin, admin.TabularInline):
    model = ConferenceParticipation
    extra = 0
    autocomplete_fields = ["organisation"]


class ConferenceAttachmentInline(admin.TabularInline):
    model = ConferenceAttachment
    extra = 0
    formfield_overrides = {models.FileField: ADMIN_FILE_OVERRIDES}
    fields = ["title", "file", "uploaded_at"]
    readonly_fields = ["uploaded_at"]


class ConferenceActionForm(ActionForm):
    """The action bar, with what some actions need: the invitation date, a reason."""

    invitation_sent_on = forms.DateField(
        label=_("Invitation sent on"),
        required=False,
        help_text=_("For “announce”; today when empty."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        help_text=_("For “postpone” and “cancel”, and for “announce” when the invitations went out late."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV in UTF-8, or XLSX)"))
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and count, but import nothing"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


# What the admin's "add conference" form asks; the rest is recorded by the services later.
CONFERENCE_ADD_FIELDSETS = [
    (None, {"fields": ["unit", "plan_item", "kind", "format", "title"]}),
    (_("Organisation"), {"fields": ["chair", "chair_user", "co_organisers", "invited_groups", "agenda", "venue"]}),
    (_("Dates"), {"fields": ["planned_start", "planned_end"]}),
    (_("Content"), {"fields": ["topics", "related_project"]}),
]
# Changed only by the services' own steps (the unit and plan item are fixed once scheduled;
# attendance and the counts come with "held" and the opinions recorded).
CONFERENCE_FIXED_FIELDS = ["unit", "plan_item", "attendance", "opinions_raised_count", "answered_on_spot_count"]
MINUTES_FIELDS = ["minutes_text", "minutes_file"]


@admin.register(Conference)
class ConferenceAdmin(ServiceAddAdminMixin, DomainAdmin, HistoryAdmin):
    """Conferences in the admin go through the services: "add" calls `schedule_conference` (plan check,
    plan start, signal, history), "change" calls `update_conference` and `update_minutes`; a status,
    the unit and the plan item are never saved directly (use the actions)."""

    formfield_overrides = {models.FileField: ADMIN_FILE_OVERRIDES}
    list_display = [
        "title",
        "unit",
        "kind",
        "format",
        "status",
        "planned_start",
        "held_on",
        "attendance",
        "minutes_status",
    ]
    list_filter = ["status", "kind", "format", "minutes_status", unit_filter(), ("held_on", admin.DateFieldListFilter)]
    list_select_related = ["unit"]
    search_fields = ["title", "=external_ref", "venue", "related_project"]
    date_hierarchy = "planned_start"
    show_full_result_count = False
    autocomplete_fields = ["unit", "plan_item", "chair_user", "co_organisers"]
    scoped_foreign_keys = {"plan_item": "plan__unit_id"}
    readonly_fields = [
        "status",
        "status_reason",
        "invitation_sent_on",
        "held_on",
        "actual_start",
        "minutes_status",
        "created_by",
        "created_at",
    ]
    fieldsets = [
        (None, {"fields": ["unit", "plan_item", "kind", "format", "title", "status", "status_reason"]}),
        (_("Organisation"), {"fields": ["chair", "chair_user", "co_organisers", "invited_groups", "agenda", "venue"]}),
        (
            _("Dates"),
            {"fields": ["planned_start", "planned_end", "invitation_sent_on", "held_on", "actual_start"]},
        ),
        (
            _("Content"),
            {"fields": ["topics", "attendance", "related_project", "opinions_raised_count", "answered_on_spot_count"]},
        ),
        (_("Minutes"), {"fields": ["minutes_status", "minutes_text", "minutes_file"]}),
        (_("Record"), {"fields": ["external_ref", "created_by", "created_at"], "classes": ["collapse"]}),
    ]
    inlines = [ConclusionItemInline, ParticipationInline, ConferenceAttachmentInline]
    action_form = ConferenceActionForm
    actions = [
        *DomainAdmin.actions,
        "announce",
        "postpone",
        "cancel",
        "close",
        "approve_minutes",
        "lock_minutes",
    ]
    export_fields = [
        "external_ref",
        "unit",
        "unit__code",
        "kind",
        "format",
        "title",
        "status",
        "chair",
        "venue",
        "planned_start",
        "held_on",
        "attendance",
        "topics",
        "opinions_raised_count",
        "answered_on_spot_count",
        "minutes_status",
    ]

    def get_fieldsets(self, request, obj=None):
        return CONFERENCE_ADD_FIELDSETS if obj is None else super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fields = [*super().get_readonly_fields(request, obj), *CONFERENCE_FIXED_FIELDS, "external_ref"]
        if obj.status in (ConferenceStatus.CLOSED, ConferenceStatus.CANCELLED):
            fields += [*services.CONFERENCE_EDITABLE_FIELDS, "co_organisers"]
        elif obj.status != ConferenceStatus.PLANNED:
            fields.append("planned_start")  # once announced, only "postpone" moves it
        if obj.status not in HELD_STATUSES or obj.minutes_status in (MinutesStatus.APPROVED, MinutesStatus.LOCKED):
            fields += MINUTES_FIELDS
        return list(dict.fromkeys(fields))

    def create_through_service(self, request, data):
        details = (
            "chair",
            "chair_user",
            "invited_groups",
            "agenda",
            "venue",
            "planned_end",
            "topics",
            "related_project",
        )
        return services.schedule_conference(
            unit=data.get("unit"),
            kind=data.get("kind") or "",
            format=data.get("format") or "",
            title=data.get("title") or "",
            planned_start=data.get("planned_start"),
            plan_item=data.get("plan_item"),
            co_organisers=data.get("co_organisers") or (),
            by=request.user,
            ip=client_ip(request),
            **{name: data[name] for name in details if data.get(name) not in (None, "")},
        )

    def _update_through_service(self, request, conference, form, *, check_only=False):
        """Apply the change form's changes through the services (`check_only`: no file is stored)."""
        data, changed = form.cleaned_data, set(form.changed_data)
        fields = {name: data[name] for name in services.CONFERENCE_EDITABLE_FIELDS if name in changed}
        co_organisers = data.get("co_organisers") if "co_organisers" in changed else None
        if fields or co_organisers is not None:
            services.update_conference(
                conference=conference, by=request.user, ip=client_ip(request), co_organisers=co_organisers, **fields
            )
        if changed & set(MINUTES_FIELDS):
            services.update_minutes(
                conference=conference,
                text=data["minutes_text"] if "minutes_text" in changed else None,
                file=data["minutes_file"] if "minutes_file" in changed and not check_only else None,
                by=request.user,
                ip=client_ip(request),
            )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form_class
        model_admin = self

        class ServiceChangeForm(form_class):
            def clean(self):
                cleaned = super().clean()
                if not self._errors:
                    refusal = service_refusal(
                        lambda: model_admin._update_through_service(request, obj, self, check_only=True)
                    )
                    if refusal:
                        raise forms.ValidationError(refusal)
                return cleaned

        return ServiceChangeForm

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)  # ServiceAddAdminMixin: schedule_conference
            return
        self._update_through_service(request, obj, form)
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # The services set the co-organisers; the inlines are saved as usual (see save_formset).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        """New conclusion items go through `add_conclusion_item`; edits of existing ones are in the history."""
        if formset.model is not ConclusionItem:
            return super().save_formset(request, form, formset, change)
        conference, ip = form.instance, client_ip(request)
        for item in formset.save(commit=False):
            if item.pk is None:
                services.add_conclusion_item(
                    conference=conference,
                    text=item.text,
                    assignee=item.assignee,
                    deadline=item.deadline,
                    by=request.user,
                    ip=ip,
                )
                continue
            # Existing items are read-only in the inline (see ConclusionItemInline.has_change_permission).

    # Actions: each calls a service; a forbidden transition is reported per conference.

    def _run(self, request, queryset, call, message, allowed=None):
        run_service_on_each(self, request, queryset, call, allowed=allowed or _manages_conference, done_message=message)

    @admin.action(description=_("Announce (invitations sent on the date given)"), permissions=["change"])
    def announce(self, request, queryset):
        sent_on = _action_value(request, "invitation_sent_on", forms.DateField()) or timezone.localdate()
        reason = request.POST.get("reason", "")

        def call(conference):
            warning = services.announce_conference(
                conference=conference,
                invitation_sent_on=sent_on,
                short_notice_reason=reason,  # needed when the invitations went out late
                by=request.user,
                ip=client_ip(request),
            )
            if warning:
                self.message_user(request, f"{conference}: {warning}", messages.WARNING)

        self._run(request, queryset, call, gettext("%(count)s conference(s) announced."))

    @admin.action(description=_("Postpone (with the reason given)"), permissions=["change"])
    def postpone(self, request, queryset):
        reason = request.POST.get("reason", "")
        self._run(
            request,
            queryset,
            lambda c: services.postpone_conference(conference=c, reason=reason, by=request.user, ip=client_ip(request)),
            gettext("%(count)s conference(s) postponed."),
        )

    @admin.action(description=_("Cancel (with the reason given)"), permissions=["change"])
    def cancel(self, request, queryset):
        reason = request.POST.get("reason", "")
        self._run(
            request,
            queryset,
            lambda c: services.cancel_conference(conference=c, reason=reason, by=request.user, ip=client_ip(request)),
            gettext("%(count)s conference(s) cancelled."),
        )

    @admin.action(description=_("Close (conclusions carried out)"), permissions=["change"])
    def close(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda c: services.close_conference(conference=c, by=request.user, ip=client_ip(request)),
            gettext("%(count)s conference(s) closed."),
        )

    @admin.action(description=_("Approve the minutes"), permissions=["change"])
    def approve_minutes(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda c: services.set_minutes_status(
                conference=c, status="approved", by=request.user, ip=client_ip(request)
            ),
            gettext("Minutes of %(count)s conference(s) approved."),
            allowed=can_approve_minutes,
        )

    @admin.action(description=_("Lock the minutes"), permissions=["change"])
    def lock_minutes(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda c: services.set_minutes_status(
                conference=c, status="locked", by=request.user, ip=client_ip(request)
            ),
            gettext("Minutes of %(count)s conference(s) locked."),
            allowed=can_approve_minutes,
        )

    # Import ------------------------------------------------------------------------------------

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_import",
            )
        ]
        return urls + super().get_urls()

    def has_import_permission(self, request) -> bool:
        """Return True if the user may import conferences: add and change permissions on conferences."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        """Show the import form; on POST validate the whole file and import it (or report every bad line)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        result = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            dry_run = form.cleaned_data["dry_run"]
            try:
                result = import_conferences(
                    data=upload.read(),
                    filename=upload.name,
                    dry_run=dry_run,
                    by=request.user,
                    scope=unit_ids_allowed(request.user, "conference.schedule"),
                )
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                if result.ok and not dry_run:
                    self.message_user(request, result.summary(), messages.SUCCESS)
                    return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import conferences"),
            "form": form,
            "result": result,
            "required_columns": ["unit_code", "held_on", "kind", "status", "title"],
            "optional_columns": [
                "format",
                "chair",
                "venue",
                "attendance",
                "topics",
                "opinions_raised",
                "answered_on_spot",
                "external_ref",
            ],
        }
        return TemplateResponse(request, "admin/conferences/conference/import.html", context)


def _manages_conference(user, conference) -> bool:
    return can_manage_conferences(user, conference.unit)


def _action_value(request, name, field):
    """Return the cleaned value of an extra field of the action bar, or None."""
    raw = request.POST.get(name, "")
    if not raw:
        return None
    try:
        return field.clean(raw)
    except forms.ValidationError:
        return None


@admin.register(ConferenceParticipation)
class ConferenceParticipationAdmin(DomainAdmin):
    unit_lookup = "conference__unit_id"
    scoped_foreign_keys = {"conference": "unit_id"}
    list_display = ["conference", "organisation", "group", "count"]
    list_select_related = ["conference", "organisation"]
    list_filter = [unit_filter("conference__unit_id")]
    search_fields = ["group", "organisation__name", "conference__title"]
    autocomplete_fields = ["conference", "organisation"]
    export_fields = ["conference", "organisation", "group", "count"]


@admin.register(ConferenceAttachment)
class ConferenceAttachmentAdmin(DomainAdmin):
    formfield_overrides = {models.FileField: ADMIN_FILE_OVERRIDES}
    unit_lookup = "conference__unit_id"
    scoped_foreign_keys = {"conference": "unit_id"}
    list_display = ["title", "conference", "uploaded_at"]
    list_select_related = ["conference"]
    list_filter = [unit_filter("conference__unit_id")]
    search_fields = ["title", "conference__title"]
    autocomplete_fields = ["conference"]
    date_hierarchy = "uploaded_at"
    export_fields = ["title", "conference", "uploaded_at"]


@admin.register(ConclusionItem)
class ConclusionItemAdmin(DomainAdmin):
    unit_lookup = "conference__unit_id"
    scoped_foreign_keys = {"conference": "unit_id", "assignee": "unit_id"}
    list_display = ["__str__", "conference", "assignee", "deadline", "status", "done_on"]
    list_filter = ["status", unit_filter("conference__unit_id")]
    list_select_related = ["conference", "assignee"]
    search_fields = ["text", "conference__title"]
    autocomplete_fields = ["conference", "assignee"]
    readonly_fields = ["status", "done_on"]
    date_hierarchy = "deadline"
    actions = [*DomainAdmin.actions, "mark_done"]
    export_fields = ["conference", "number", "text", "assignee", "deadline", "status", "done_on"]

    # Items are added by `add_conclusion_item` (the conference's inline, the portal) and corrected by
    # `update_conclusion_item` / `withdraw_conclusion_item` on the portal: here they are read, exported
    # and marked carried out, never saved directly (no direct write of an assignee or a deadline).
    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return ["conference", "number", "text", "assignee", "deadline", "status", "done_on"]

    def save_model(self, request, obj, form, change):
        """Nothing to save: every field is read-only (see above)."""

    @admin.action(description=_("Mark the selected items carried out"), permissions=["change"])
    def mark_done(self, request, queryset):
        run_service_on_each(
            self,
            request,
            queryset,
            lambda item: services.mark_conclusion_done(item=item, by=request.user, ip=client_ip(request)),
            allowed=lambda user, item: can_manage_conferences(user, item.conference.unit),
            done_message=gettext("%(count)s item(s) marked carried out."),
        )


@admin.register(ConferencePostponement)
class ConferencePostponementAdmin(DomainAdmin):
    """Written by postpone_conference and reschedule_conference; viewed and exported here, never added or changed."""

    unit_lookup = "conference__unit_id"
    list_display = ["conference", "from_start", "to_start", "reason", "postponed_by", "postponed_at"]
    list_select_related = ["conference", "postponed_by"]
    list_filter = [unit_filter("conference__unit_id")]
    search_fields = ["conference__title", "reason"]
    date_hierarchy = "postponed_at"
    export_fields = ["conference", "from_start", "to_start", "reason", "postponed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
