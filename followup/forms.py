"""Forms of the follow-up pages. They validate only; the views call the services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conferences.forms import date_input
from conferences.models import ConclusionItem
from followup.models import CommendationKind, Finding
from petitions.models import Petition
from units.forms import UnitChoiceField


class NoticeForm(forms.Form):
    number = forms.CharField(
        label=_("Number"),
        max_length=64,
        required=False,
        help_text=_("E.g. 12-TB/ĐU or 12/TB-UBND. Needed before approval."),
    )
    issued_on = forms.DateField(
        label=_("Date of issue"), required=False, widget=date_input(), help_text=_("Needed before approval.")
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))
    conclusion_items = forms.ModelMultipleChoiceField(
        label=_("Conclusion items announced"),
        queryset=ConclusionItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    petitions = forms.ModelMultipleChoiceField(
        label=_("Petitions answered in this notice"),
        queryset=Petition.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, notice, **kwargs):
        self.notice = notice
        if "initial" not in kwargs:
            kwargs["initial"] = {
                "number": notice.number,
                "issued_on": notice.issued_on,
                "title": notice.title,
                "text": notice.text,
                "conclusion_items": list(notice.conclusion_items.values_list("pk", flat=True)),
                "petitions": list(notice.petitions.values_list("pk", flat=True)),
            }
        super().__init__(*args, **kwargs)
        conference = notice.conference
        if conference is not None:
            self.fields["conclusion_items"].queryset = conference.conclusions.in_force().order_by("number")
            self.fields["petitions"].queryset = conference.petitions.public().order_by("submitted_at", "pk")
        else:
            # A notice without a conference keeps only what is already linked to it.
            self.fields["conclusion_items"].queryset = notice.conclusion_items.all()
            self.fields["petitions"].queryset = notice.petitions.all()
        self.fields["conclusion_items"].label_from_instance = lambda item: f"{item.number}. {item.text[:160]}"
        self.fields["petitions"].label_from_instance = lambda p: f"{p.display_code} — {p.title}"

    def clean_issued_on(self):
        issued_on = self.cleaned_data.get("issued_on")
        conference = self.notice.conference
        if issued_on and conference is not None and conference.held_on and issued_on < conference.held_on:
            raise forms.ValidationError(_("A notice cannot be issued before the conference was held."))
        return issued_on


class ReturnNoticeForm(forms.Form):
    note = forms.CharField(
        label=_("What needs changing"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class PublishNoticeForm(forms.Form):
    posted_at = forms.CharField(
        label=_("Where it was posted"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the ward's notice board, the loudspeakers, the residential groups. You can add it later."),
    )


class PostingForm(forms.Form):
    posted_at = forms.CharField(
        label=_("Where it was posted"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the ward's notice board, the loudspeakers, the residential groups."),
    )


class SupervisionForm(forms.Form):
    subject = forms.CharField(label=_("What was supervised"), max_length=300)
    finding = forms.ChoiceField(label=_("Finding"), choices=Finding.choices, widget=forms.RadioSelect)
    recommendation = forms.CharField(
        label=_("Recommendation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the conclusion was not met."),
    )
    recheck_on = forms.DateField(label=_("Re-check on"), required=False, widget=date_input())

    def clean_recheck_on(self):
        recheck_on = self.cleaned_data.get("recheck_on")
        if recheck_on is not None and recheck_on < timezone.localdate():
            raise forms.ValidationError(_("The re-check date cannot be in the past."))
        return recheck_on

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("finding") == Finding.NOT_MET and not (cleaned.get("recommendation") or "").strip():
            self.add_error("recommendation", _("A finding of “not met” needs a recommendation."))
        return cleaned


class CommendationForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=CommendationKind.choices)
    recipient = forms.CharField(label=_("Recipient"), max_length=200, help_text=_("The collective's or person's name."))
    reason = forms.CharField(label=_("For"), widget=forms.Textarea(attrs={"rows": 3}))
    year = forms.IntegerField(label=_("Year"), min_value=2017, max_value=2100)
    decision_number = forms.CharField(
        label=_("Decision number"), max_length=64, required=False, help_text=_("E.g. 15/QĐ-UBND.")
    )

    def __init__(self, *args, units, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
