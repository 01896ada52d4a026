"""The petitions in the admin: fast at a million rows, personal data kept out of sight and out of exports.

Longer than ~500 lines on purpose: one admin per petition table (petitions, attachments, assignments,
extensions, answers, verdicts, templates, categories) with the same paginator, scoping and export rules;
split across modules they would drift apart. No logic lives here beyond calls into `petitions.services`.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.admin_actions import ServiceAddAdminMixin, run_service_on_each, service_refusal
from audit.admin_exports import SharedAdmin
from audit.services import client_ip
from conferences.admin import HistoryAdmin
from conferences.uploads import CheckedFileField
from petitions import services
from petitions.codes import ALPHABET, LENGTH, normalise_tracking_code
from petitions.models import (
    OPEN_STATUSES,
    ROUTED_OUT_KINDS,
    Answer,
    AnswerTemplate,
    Assignment,
    Category,
    Channel,
    CitizenVerdict,
    Extension,
    Petition,
    PetitionAttachment,
    past_due_q,
)
from petitions.paginators import EstimatedCountPaginator
from petitions.permissions import can_manage_petition, can_see_contacts
from units.admin_mixins import DomainAdmin, unit_filter
from units.models import Organisation
from units.permissions import handling_org_ids, unit_ids_in_scope

CONTACT_FIELDS = ["petitioner_name", "petitioner_phone", "petitioner_email", "petitioner_address"]


@admin.register(Category)
class CategoryAdmin(SharedAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    export_fields = ["name", "order", "is_active"]


# --- Inlines of a petition: the chain after it was received -------------------------------------


class ReadOnlyInline(admin.TabularInline):
    """A record written by a service (an assignment, an extension, an answer): shown, never edited here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ["kind", "organisation", "due_on", "note", "assigned_by", "assigned_at", "ended_at"]
    readonly_fields = fields


class ExtensionInline(ReadOnlyInline):
    model = Extension
    fields = ["previous_due_on", "new_due_on", "reason", "extended_by", "extended_at"]
    readonly_fields = fields


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ["text", "on_spot", "document_number", "document_date", "evidence", "answered_by", "answered_at"]
    readonly_fields = fields


class VerdictInline(ReadOnlyInline):
    model = CitizenVerdict
    fields = ["verdict", "rating", "comment", "given_at"]
    readonly_fields = fields


class AttachmentForm(forms.ModelForm):
    """A file added in the admin, checked like the portal's (`conferences.uploads`)."""

    file = CheckedFileField(label=_("file"))

    class Meta:
        model = PetitionAttachment
        fields = ["file"]

    def save(self, commit=True):
        upload = self.cleaned_data.get("file")
        if upload is not None and hasattr(upload, "checked_content_type"):
            self.instance.original_name = upload.safe_name[:255]
            self.instance.content_type = upload.checked_content_type
            self.instance.size = upload.size
        return super().save(commit)


class PetitionAttachmentInline(admin.TabularInline):
    model = PetitionAttachment
    form = AttachmentForm
    extra = 0
    fields = ["file", "original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = ["original_name", "content_type", "size", "uploaded_at"]


# --- Petitions ----------------------------------------------------------------------------------


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(past_due_q(today), status__in=OPEN_STATUSES)
        if self.value() == "no":
            return queryset.exclude(Q(status__in=OPEN_STATUSES) & past_due_q(today))
        return queryset


class CategoryFilter(admin.SimpleListFilter):
    """Filter by category: one query on the small category table, never a DISTINCT over petitions."""

    title = _("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Category.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        return queryset.filter(category_id=self.value()) if (self.value() or "").isdecimal() else queryset


# The fields `submit_petition` takes from the add form.
SUBMIT_FIELDS = [
    "unit",
    "kind",
    "category",
    "title",
    "content",
    "location",
    "channel",
    "requested_conference",
    "show_name_publicly",
    *CONTACT_FIELDS,
]


class PetitionAddForm(forms.ModelForm):
    """A petition entered by an official (from the mail, a reception, a conference): received through
    `petitions.services.submit_petition`, so it gets its deadlines, its history and its notifications."""

    consent = forms.BooleanField(
        label=_("The petitioner consented to the processing of personal data"),
        required=False,
        help_text=_("Required for petitions received online."),
    )

    class Meta:
        model = Petition
        fields = [*SUBMIT_FIELDS, "conference"]

    def clean(self):
        cleaned = super().clean()
        channel, kind = cleaned.get("channel"), cleaned.get("kind")
        if channel == Channel.ONLINE:
            if kind in ROUTED_OUT_KINDS:
                raise forms.ValidationError(
                    _("Complaints and denunciations follow another procedure and are not filed here.")
                )
            if not cleaned.get("consent"):
                self.add_error("consent", _("Consent to the processing of personal data is required."))
        return cleaned


class PetitionActionForm(ActionForm):
    """The action bar, with the handling unit that “assign” needs."""

    organisation = forms.ModelChoiceField(
        label=_("Handling unit"),
        required=False,
        queryset=Organisation.objects.handling_units().select_related("unit"),
        help_text=_("For “assign”."),
    )


@admin.register(Petition)
class PetitionAdmin(ServiceAddAdminMixin, DomainAdmin, HistoryAdmin):
    """Petitions in the admin go through the services: "add" calls `submit_petition`, "change" calls
    `update_petition` (the description and links); the status, dates, unit and handling unit are
    read-only here and change with the actions and the portal's steps."""

    list_display = [
        "code",
        "title",
        "unit",
        "category",
        "kind",
        "status",
        "channel",
        "submitted_at",
        "due_on",
        "is_overdue",
        "handling_org",
    ]
    list_display_links = ["code", "title"]
    list_filter = [
        "status",
        "kind",
        "channel",
        OverdueFilter,
        unit_filter(),
        CategoryFilter,
        ("submitted_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["unit", "category", "handling_org"]
    search_fields = ["title"]  # see get_search_results: tracking code (exact or prefix) and title
    search_help_text = _("Tracking code (whole or its beginning) or words of the title.")
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50
    ordering = ["-submitted_at", "-id"]
    autocomplete_fields = ["unit", "category", "conference", "requested_conference", "duplicate_of"]
    raw_id_fields = ["conclusion_items"]
    scoped_foreign_keys = {"conference": "unit_id", "requested_conference": "unit_id", "duplicate_of": "unit_id"}
    readonly_fields = [
        "code",
        "status",
        "submitted_at",
        "rejection_reason",
        "rejection_note",
        "handling_org",
        "assignee",
        "accepted_at",
        "acknowledgement_due_on",
        "original_due_on",
        "due_on",
        "answered_on",
        "resolved_at",
        "verdict",
        "rating",
        "verdict_at",
        "reopened_count",
        "duplicate_of",
        "consent_given_at",
        "anonymised_at",
        "updated_at",
        "contacts_hidden",
    ]
    inlines = [PetitionAttachmentInline, AssignmentInline, ExtensionInline, AnswerInline, VerdictInline]
    action_form = PetitionActionForm
    actions = [
        *DomainAdmin.actions,
        "export_as_csv_with_contacts",
        "export_as_xlsx_with_contacts",
        "accept",
        "assign",
    ]
    export_fields = [
        "code",
        "unit",
        "unit__code",
        "kind",
        "category",
        "channel",
        "title",
        "status",
        "submitted_at",
        "accepted_at",
        "due_on",
        "answered_on",
        "handling_org",
        "conference",
        "verdict",
        "rating",
    ]
    # The place a citizen gave is often their home: personal data, like the contacts.
    export_private_fields = [*CONTACT_FIELDS, "location"]

    # Scope: the petitions of the user's units, and those assigned to their handling unit.

    def scope_q(self, request):
        q = super().scope_q(request)
        if q is None:
            return None
        orgs = self._handling_orgs(request)
        return q | Q(handling_org_id__in=orgs) if orgs else q

    def in_scope(self, request, obj, *, to_change=False):
        if super().in_scope(request, obj, to_change=to_change):
            return True
        return obj.handling_org_id is not None and obj.handling_org_id in self._handling_orgs(request)

    @staticmethod
    def _handling_orgs(request) -> frozenset[int]:
        return handling_org_ids(request.user)

    # The change form: the petitioner's contacts editable by superusers only, hidden from those who
    # do not handle the petition.

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = PetitionAddForm
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form_class  # ServiceAddAdminMixin: submit_petition decides
        model_admin = self

        class ServiceChangeForm(form_class):
            def clean(self):
                cleaned = super().clean()
                if not self._errors:
                    refusal = service_refusal(lambda: model_admin._update_through_service(request, obj, self))
                    if refusal:
                        raise forms.ValidationError(refusal)
                return cleaned

        return ServiceChangeForm

    def _update_through_service(self, request, petition, form):
        data, changed = form.cleaned_data, set(form.changed_data)
        editable = set(services.PETITION_EDITABLE_FIELDS) | set(services.PETITION_CONTACT_FIELDS)
        return services.update_petition(
            petition=petition,
            by=request.user,
            ip=client_ip(request),
            conclusion_items=data.get("conclusion_items") if "conclusion_items" in changed else None,
            **{name: data[name] for name in changed if name in editable},
        )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (None, {"fields": ["unit", "kind", "category", "channel", "title", "content", "location"]}),
                (_("Petitioner"), {"fields": [*CONTACT_FIELDS, "show_name_publicly", "consent"]}),
                (_("Conference and links"), {"fields": ["conference", "requested_conference"]}),
            ]
        if request.user.is_superuser or obj is None or can_see_contacts(request.user, obj):
            contacts = [*CONTACT_FIELDS, "show_name_publicly", "consent_given_at", "anonymised_at"]
        else:
            contacts = ["contacts_hidden", "show_name_publicly", "consent_given_at", "anonymised_at"]
        return [
            (None, {"fields": ["code", "unit", "kind", "category", "channel", "title", "content", "location"]}),
            (_("Petitioner"), {"fields": contacts}),
            (
                _("Handling"),
                {
                    "fields": [
                        "status",
                        "rejection_reason",
                        "rejection_note",
                        "handling_org",
                        "assignee",
                        "submitted_at",
                        "accepted_at",
                        "acknowledgement_due_on",
                        "original_due_on",
                        "due_on",
                        "answered_on",
                        "resolved_at",
                    ]
                },
            ),
            (
                _("Conference and links"),
                {"fields": ["conference", "requested_conference", "conclusion_items", "duplicate_of"]},
            ),
            (_("Citizen's verdict"), {"fields": ["verdict", "rating", "verdict_at", "reopened_count", "updated_at"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # The unit is fixed once received (an abolished unit's petitions move with their history,
        # `transfer_open_petitions`).
        fields = [*super().get_readonly_fields(request, obj), "unit"]
        if not request.user.is_superuser:
            # Whoever enters a petition types its petitioner's contacts; afterwards only a superuser edits them.
            fields += CONTACT_FIELDS
        return fields

    @admin.display(description=_("petitioner"))
    def contacts_hidden(self, obj):
        return gettext("Hidden: only the officials who handle this petition see the petitioner's contacts.")

    @admin.display(description=_("tracking code"), ordering="tracking_code")
    def code(self, obj):
        return obj.display_code

    @admin.display(description=_("overdue"), boolean=True)
    def is_overdue(self, obj):
        return obj.is_overdue()

    def create_through_service(self, request, data):
        # A new petition is received by the service: tracking code, acknowledgement and answer
        # deadlines, the "submitted" history row and the notifications (petition_changed).
        petition = services.submit_petition(
            **{name: data.get(name) for name in SUBMIT_FIELDS if name in data},
            consent=bool(data.get("consent")),
            by=request.user,
            ip=client_ip(request),
        )
        if data.get("conference") is not None:
            services.update_petition(
                petition=petition, conference=data["conference"], by=request.user, ip=client_ip(request)
            )
            petition.refresh_from_db()
        return petition

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)  # ServiceAddAdminMixin: submit_petition
            return
        self._update_through_service(request, obj, form)
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # The services set the conclusion items; the inlines are read-only records.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    # Search: a tracking code (whole: one index look-up; its beginning: an index range) or title words.

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        code = normalise_tracking_code(term)
        if code:
            return queryset.filter(tracking_code=code), False
        prefix = term.replace("-", "").replace(" ", "").upper()
        if 3 <= len(prefix) < LENGTH and all(ch in ALPHABET for ch in prefix):
            # The beginning of a code: a range on the unique index, whatever the database collation
            # (codes use 0-9 and A-Z only). Tried first, on its own: OR-ed with the title it would
            # turn the index look-up into a scan of the table.
            by_code = queryset.filter(
                tracking_code__gte=prefix, tracking_code__lte=prefix + "Z" * (LENGTH - len(prefix))
            )
            if by_code.exists():
                return by_code, False
        return queryset.filter(title__icontains=term), False

    # Actions: state changes through the services.

    @admin.action(description=_("Accept the selected petitions"), permissions=["change"])
    def accept(self, request, queryset):
        run_service_on_each(
            self,
            request,
            queryset,
            lambda p: services.accept_petition(petition=p, by=request.user, ip=client_ip(request)),
            allowed=can_manage_petition,
            done_message=gettext("%(count)s petition(s) accepted."),
        )

    @admin.action(description=_("Assign to the handling unit chosen"), permissions=["change"])
    def assign(self, request, queryset):
        from django.contrib import messages

        organisation = None
        raw = request.POST.get("organisation", "")
        if raw.isdecimal():
            organisation = Organisation.objects.handling_units().filter(pk=int(raw)).first()
        scope = unit_ids_in_scope(request.user)
        if organisation is None or (scope is not None and organisation.unit_id not in scope):
            self.message_user(request, gettext("Choose a handling unit of your units first."), messages.ERROR)
            return
        run_service_on_each(
            self,
            request,
            queryset,
            lambda p: services.assign_petition(
                petition=p, organisation=organisation, by=request.user, ip=client_ip(request)
            ),
            allowed=can_manage_petition,
            done_message=gettext("%(count)s petition(s) assigned to %(org)s."),
            message_args={"org": organisation.name},
        )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        # Offer only the handling units of the user's units in the action bar.
        scope = unit_ids_in_scope(request.user)
        context = getattr(response, "context_data", None) or {}
        action_form = context.get("action_form")
        if scope is not None and action_form is not None and "organisation" in action_form.fields:
            field = action_form.fields["organisation"]
            field.queryset = field.queryset.filter(unit_id__in=scope)
        return response


# --- The chain's records on their own pages ------------------------------------------------------


class PetitionChildAdmin(DomainAdmin):
    unit_lookup = "petition__unit_id"
    raw_id_fields = ["petition"]
    scoped_foreign_keys = {"petition": "unit_id"}


class ServiceRecordAdmin(PetitionChildAdmin):
    """Written by a service; viewed and exported here, never added or changed."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PetitionAttachment)
class PetitionAttachmentAdmin(PetitionChildAdmin):
    form = AttachmentForm
    list_display = ["original_name", "petition", "content_type", "size", "uploaded_at"]
    list_select_related = ["petition"]
    search_fields = ["original_name", "=petition__tracking_code"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    fields = ["petition", "file", "original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = ["original_name", "content_type", "size", "uploaded_at"]
    export_fields = ["petition__tracking_code", "content_type", "size", "uploaded_at"]
    export_private_fields = ["original_name"]  # often the citizen's own name


@admin.register(Assignment)
class AssignmentAdmin(ServiceRecordAdmin):
    list_display = ["petition", "kind", "organisation", "due_on", "assigned_by", "assigned_at", "ended_at"]
    list_filter = ["kind", ("ended_at", admin.EmptyFieldListFilter)]
    list_select_related = ["petition", "organisation", "assigned_by"]
    search_fields = ["=petition__tracking_code", "organisation__name"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    export_fields = ["petition__tracking_code", "kind", "organisation", "due_on", "note", "assigned_at", "ended_at"]


@admin.register(Extension)
class ExtensionAdmin(ServiceRecordAdmin):
    list_display = ["petition", "previous_due_on", "new_due_on", "reason", "extended_by", "extended_at"]
    list_select_related = ["petition", "extended_by"]
    search_fields = ["=petition__tracking_code", "reason"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    export_fields = ["petition__tracking_code", "previous_due_on", "new_due_on", "reason", "extended_at"]


@admin.register(Answer)
class AnswerAdmin(ServiceRecordAdmin):
    list_display = ["petition", "__str__", "on_spot", "document_number", "document_date", "answered_by", "answered_at"]
    list_filter = ["on_spot"]
    list_select_related = ["petition", "answered_by"]
    search_fields = ["=petition__tracking_code", "document_number"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    export_fields = ["petition__tracking_code", "text", "on_spot", "document_number", "document_date", "answered_at"]


@admin.register(CitizenVerdict)
class CitizenVerdictAdmin(ServiceRecordAdmin):
    list_display = ["petition", "verdict", "rating", "given_at"]
    list_filter = ["verdict", "rating"]
    list_select_related = ["petition"]
    search_fields = ["=petition__tracking_code"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    export_fields = ["petition__tracking_code", "verdict", "rating", "comment", "given_at"]


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(DomainAdmin):
    unit_optional = True  # a template without a unit serves every unit
    list_display = ["title", "unit", "category"]
    list_filter = [unit_filter(), "category"]
    list_select_related = ["unit", "category"]
    search_fields = ["title", "text"]
    autocomplete_fields = ["unit"]
    export_fields = ["title", "unit", "category", "text"]
