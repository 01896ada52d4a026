"""Forms of the officials' portal for plans and conferences.

Forms validate and crispy renders them; saving goes through `conferences.services`, never
`form.save()`. Dates are typed dd/mm/yyyy (the project's format modules accept it in both
languages), so the inputs are plain text fields with that placeholder.
"""

import datetime

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from conferences.models import (
    ConferenceFormat,
    ConferenceKind,
    DialoguePlan,
    PlanItem,
)
from conferences.services import invitation_lead_days, invitation_lead_shortfall
from conferences.uploads import CheckedFileField
from units.forms import UnitChoiceField
from units.models import AdministrativeUnit, Organisation, OrganisationKind

DATE_PLACEHOLDER = "dd/mm/yyyy"
DATETIME_PLACEHOLDER = "dd/mm/yyyy hh:mm"


def date_input():
    """Return the one date widget of the portal: a text box typed dd/mm/yyyy in every language and browser.

    Not `type=date`: browsers show their own locale's order there (mm/dd/yyyy in en-US). The value
    is rendered with the first of DATE_INPUT_FORMATS (dd/mm/yyyy, see `dialogue_portal.formats`)."""
    return forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER, "inputmode": "numeric", "autocomplete": "off"})


def datetime_input():
    """Return the date-and-time widget: a text box typed dd/mm/yyyy hh:mm, rendered the same way."""
    return forms.DateTimeInput(attrs={"placeholder": DATETIME_PLACEHOLDER, "autocomplete": "off"})


class PortalForm(forms.Form):
    """A form of the portal, rendered with `{{ form|crispy }}`; templates own the <form> tag and buttons."""


# --- Plans -------------------------------------------------------------------------------------


class PlanForm(PortalForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=AdministrativeUnit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2017, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units=None, plan: DialoguePlan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["unit"].queryset = units if units is not None else AdministrativeUnit.objects.none()
        if plan is not None:
            # A plan stays with its unit; only its title, year and notes change.
            del self.fields["unit"]

    def clean(self):
        data = super().clean()
        unit = data.get("unit") or (self.plan.unit if self.plan else None)
        year = data.get("year")
        if unit is not None and year:
            clash = DialoguePlan.objects.filter(unit=unit, year=year)
            if self.plan is not None:
                clash = clash.exclude(pk=self.plan.pk)
            existing = clash.first()
            if existing is not None:
                self.add_error(
                    "year",
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("This unit already has a plan for %(year)s.") % {"year": year},
                        reverse("conferences:plan_detail", args=[existing.pk]),
                        _("Open it"),
                    ),
                )
        return data


class PlanItemForm(PortalForm):
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(q, _("Quarter %(q)s") % {"q": q}) for q in range(1, 5)],
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(m, _("Month %(m)s") % {"m": m}) for m in range(1, 13)],
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ConferenceKind.choices, initial=ConferenceKind.PERIODIC)
    format = forms.ChoiceField(label=_("Format"), choices=ConferenceFormat.choices)
    topic = forms.CharField(label=_("Topic"), max_length=300)
    chair = forms.CharField(label=_("Chair"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("quarter") and not data.get("month"):
            raise forms.ValidationError(_("Give the quarter or the month the conference is planned for."))
        if data.get("quarter") and data.get("month") and (data["month"] - 1) // 3 + 1 != data["quarter"]:
            self.add_error("month", _("This month is not in the quarter chosen."))
        return data


# --- Conferences -------------------------------------------------------------------------------


def organisations_for(unit):
    """Return the organisations of `unit` and of its parent (co-organisers, assignees, participants)."""
    ids = [unit.pk] + ([unit.parent_id] if unit.parent_id else [])
    return (
        Organisation.objects.filter(unit_id__in=ids, is_active=True)
        .select_related("unit")
        .order_by("unit__depth", "name")
    )


class ConferenceForm(PortalForm):
    unit = UnitChoiceField(label=_("Organising unit"), queryset=AdministrativeUnit.objects.none())
    plan_item = forms.ModelChoiceField(
        label=_("Planned conference it fulfils"),
        queryset=PlanItem.objects.none(),
        required=False,
        help_text=_("Leave empty for an ad-hoc conference."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ConferenceKind.choices)
    format = forms.ChoiceField(label=_("Format"), choices=ConferenceFormat.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    planned_start = forms.DateTimeField(
        label=_("Starts at"), widget=datetime_input(), help_text=_("E.g. 25/11/2026 08:00.")
    )
    planned_end = forms.DateTimeField(label=_("Ends at"), required=False, widget=datetime_input())
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    chair = forms.CharField(label=_("Chair"), max_length=200, required=False, help_text=_("Name and position."))
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("Co-organisers"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    invited_groups = forms.CharField(
        label=_("Invited groups"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    topics = forms.CharField(
        label=_("Topics"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("One per line.")
    )
    related_project = forms.CharField(
        label=_("Related project"),
        max_length=300,
        required=False,
        help_text=_("For an ad-hoc land-clearance dialogue, e.g. 'Vành đai 3'."),
    )

    def __init__(self, *args, units=None, plan_items=None, conference=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.fields["unit"].queryset = units if units is not None else AdministrativeUnit.objects.none()
        self.fields["plan_item"].queryset = (
            plan_items.select_related("plan") if plan_items is not None else PlanItem.objects.none()
        )
        orgs_unit_ids = list(self.fields["unit"].queryset.values_list("pk", "parent_id"))
        ids = {pk for pair in orgs_unit_ids for pk in pair if pk}
        if conference is not None:
            ids |= {conference.unit_id, conference.unit.parent_id}
            # Unit and plan item are fixed once scheduled.
            del self.fields["unit"]
            del self.fields["plan_item"]
            if conference.status != "planned":
                self.fields["planned_start"].disabled = True
                self.fields["planned_start"].help_text = _("Once announced, postpone the conference to move it.")
        self.fields["co_organisers"].queryset = Organisation.objects.filter(unit_id__in=ids, is_active=True).order_by(
            "name"
        )

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        item = data.get("plan_item")
        if unit is not None and item is not None and item.plan.unit_id != unit.pk:
            self.add_error("plan_item", _("This planned conference belongs to another unit's plan."))
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end <= start:
            self.add_error("planned_end", _("The end must be after the start."))
        changed_start = self.conference is None or (start and start != self.conference.planned_start)
        if start and changed_start and start < timezone.now():
            self.add_error("planned_start", past_start_error())
        return data


def past_start_error():
    return forms.ValidationError(
        _(
            "The start cannot be in the past. To record a conference already held, schedule it beforehand "
            "or ask the administrator to import it."
        ),
        code="past_start",
    )


class AnnounceForm(PortalForm):
    """Announce a conference. The lead time in force is shown before confirming; a shorter notice
    needs a reason (kept in the history)."""

    invitation_sent_on = forms.DateField(
        label=_("Invitations sent on"), widget=date_input(), initial=timezone.localdate
    )
    short_notice_reason = forms.CharField(
        label=_("Reason for the short notice"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required only when the invitations went out later than the lead time in force."),
    )

    def __init__(self, *args, conference=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.lead_days = invitation_lead_days(conference) if conference is not None else None
        if self.lead_days is not None:
            start = timezone.localdate(conference.planned_start)
            latest = start - datetime.timedelta(days=self.lead_days)
            self.fields["invitation_sent_on"].help_text = _(
                "The rule in force asks for invitations at least %(lead)s days before the conference "
                "(%(start)s), that is by %(latest)s."
            ) % {"lead": self.lead_days, "start": start.strftime("%d/%m/%Y"), "latest": latest.strftime("%d/%m/%Y")}

    def clean(self):
        data = super().clean()
        sent_on = data.get("invitation_sent_on")
        if self.conference is None or sent_on is None:
            return data
        shortfall = invitation_lead_shortfall(self.conference, sent_on)
        data["short_notice_reason"] = (data.get("short_notice_reason") or "").strip()
        if shortfall and not data["short_notice_reason"]:
            self.add_error(
                "short_notice_reason",
                _(
                    "The invitations went out %(days)s days before the conference; the rule in force asks for "
                    "at least %(lead)s days. Give the reason for the short notice to announce it anyway."
                )
                % {"days": shortfall[0], "lead": shortfall[1]},
            )
        return data


class PostponeForm(PortalForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    new_start = forms.DateTimeField(
        label=_("New date and time"),
        required=False,
        widget=datetime_input(),
        help_text=_("Leave empty if the new date is not known yet."),
    )

    def clean_new_start(self):
        new_start = self.cleaned_data.get("new_start")
        if new_start and new_start < timezone.now():
            raise past_start_error()
        return new_start

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason."))
        return reason


class RescheduleForm(PortalForm):
    planned_start = forms.DateTimeField(label=_("New date and time"), widget=datetime_input())

    def clean_planned_start(self):
        planned_start = self.cleaned_data["planned_start"]
        if planned_start < timezone.now():
            raise past_start_error()
        return planned_start


class OutcomeForm(PortalForm):
    held_on = forms.DateField(label=_("Held on"), widget=date_input())
    attendance = forms.IntegerField(label=_("Attendance"), min_value=0, required=False)
    minutes_text = forms.CharField(label=_("Minutes (text)"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    minutes_file = CheckedFileField(label=_("Minutes (file)"), required=False)

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("A conference cannot be recorded as held on a future date."))
        return held_on


class ParticipationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(), required=False)
    group = forms.CharField(label=_("Or group"), max_length=200, required=False)
    count = forms.IntegerField(label=_("Number"), min_value=1, required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations

    def clean(self):
        data = super().clean()
        has_who = data.get("organisation") or (data.get("group") or "").strip()
        if has_who and not data.get("count"):
            self.add_error("count", _("Give the number of participants."))
        if data.get("count") and not has_who:
            self.add_error("group", _("Choose an organisation or name the group."))
        return data


class BaseParticipationFormSet(forms.BaseFormSet):
    def participants(self):
        """Return (organisation, group, count) for each filled row."""
        return [
            (f.cleaned_data.get("organisation"), (f.cleaned_data.get("group") or "").strip(), f.cleaned_data["count"])
            for f in self.forms
            if f.cleaned_data.get("count")
        ]


ParticipationFormSet = forms.formset_factory(ParticipationForm, formset=BaseParticipationFormSet, extra=4, max_num=30)


class MinutesForm(PortalForm):
    minutes_text = forms.CharField(label=_("Minutes (text)"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    minutes_file = CheckedFileField(label=_("Replace the minutes file"), required=False)


class AttachmentForm(PortalForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = CheckedFileField(label=_("File"))


# --- Opinions and conclusions ------------------------------------------------------------------


class ConclusionForm(PortalForm):
    text = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))
    assignee = forms.ModelChoiceField(label=_("Assigned to"), queryset=Organisation.objects.none(), required=False)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=date_input())
    petitions = forms.ModelMultipleChoiceField(
        label=_("Petitions it settles"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        unit = conference.unit
        ids = [unit.pk] + ([unit.parent_id] if unit.parent_id else [])
        self.fields["assignee"].queryset = (
            Organisation.objects.filter(unit_id__in=ids, is_active=True)
            .filter(Q(kind=OrganisationKind.HANDLING_UNIT) | Q(unit_id=unit.pk))
            .order_by("name")
        )
        self.fields["petitions"].queryset = conference.petitions.order_by("pk")
        self.fields["petitions"].label_from_instance = lambda p: f"{p.display_code} — {p.title}"

    def clean(self):
        data = super().clean()
        if data.get("assignee") and not data.get("deadline") and "deadline" not in self.errors:
            self.add_error(
                "deadline",
                _("Give the deadline by which %(assignee)s must carry this out.") % {"assignee": data["assignee"]},
            )
        return data


class ConclusionDoneForm(PortalForm):
    done_on = forms.DateField(label=_("Carried out on"), widget=date_input(), initial=timezone.localdate)

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return done_on


class ConclusionWithdrawForm(PortalForm):
    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. recorded twice, or not what the chair concluded. Kept in the history."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason."))
        return reason


class AttachmentRemoveForm(PortalForm):
    reason = forms.CharField(
        label=_("Reason for removing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. the wrong file, or a file of another conference. The file is kept in the history."),
    )
