"""Forms of the officials' petition pages. They validate; the views call `petitions.services`."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber
from phonenumbers import NumberParseException

from conferences.forms import PortalForm, date_input
from conferences.uploads import OFFICIAL_DOCUMENT, CheckedFileField, clean_upload
from petitions.codes import normalise_tracking_code
from petitions.models import Category, Channel, Petition, PetitionKind, RejectionReason
from units.forms import UnitChoiceField
from units.models import AdministrativeUnit, Organisation

# Channels an official records by hand (online ones come from citizens, conference ones from the minutes).
OFFICIAL_CHANNELS = [(c.value, c.label) for c in (Channel.RECEPTION, Channel.MAIL, Channel.MTTQ)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class PetitionCreateForm(forms.Form):
    """A petition received at the reception desk, by mail or forwarded by the Front."""

    unit = UnitChoiceField(queryset=None, label=_("Unit"), empty_label=None)
    channel = forms.ChoiceField(label=_("Received through"), choices=OFFICIAL_CHANNELS)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=PetitionKind.choices,
        initial=PetitionKind.RECOMMENDATION,
        help_text=_("Complaints and denunciations are recorded, then routed out with a rejection and guidance."),
    )
    category = forms.ModelChoiceField(queryset=None, label=_("Category"))
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 6}))
    location = forms.CharField(label=_("Location"), max_length=300, required=False)
    petitioner_name = forms.CharField(label=_("Petitioner's name"), max_length=150, required=False)
    petitioner_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    petitioner_email = forms.EmailField(label=_("E-mail"), required=False)
    petitioner_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    show_name_publicly = forms.BooleanField(label=_("The petitioner asked for their name to be shown"), required=False)
    consent = forms.BooleanField(
        label=_("The petitioner agreed to the processing of their personal data"),
        required=False,
        help_text=_("Required when a name or contact is recorded."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"), required=False, help_text=_("PDF, JPEG or PNG, at most 10 MB each.")
    )

    def __init__(self, *args, units, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["category"].queryset = categories

    def clean_petitioner_phone(self):
        from phonenumber_field.phonenumber import PhoneNumber

        raw = self.cleaned_data["petitioner_phone"].strip()
        if not raw:
            return ""
        number = PhoneNumber.from_string(raw, region="VN") if raw else None
        if number is None or not number.is_valid():
            raise ValidationError(_("Enter a valid phone number."))
        return number.as_e164

    def clean_attachments(self):
        checked, errors = [], []
        for upload in self.cleaned_data["attachments"]:
            try:
                clean = clean_upload(upload, policy=OFFICIAL_DOCUMENT)
            except ValidationError as exc:
                errors.extend(exc.error_list)
                continue
            checked.append((clean.file, clean.content_type))
        if errors:
            raise ValidationError(errors)
        return checked

    def clean(self):
        data = super().clean()
        has_personal = any(
            data.get(f) for f in ("petitioner_name", "petitioner_phone", "petitioner_email", "petitioner_address")
        )
        if has_personal and not data.get("consent"):
            self.add_error("consent", _("Record the petitioner's consent, or leave the name and contacts empty."))
        return data


class RedactForm(forms.Form):
    passage = forms.CharField(
        label=_("Personal data to hide"),
        max_length=300,
        help_text=_(
            "Copy the exact words from the petition (a name, an ID or phone number…). Every occurrence in the "
            "title, content and place is replaced by “[…]”. The original is not kept."
        ),
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectionReason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Explanation to the citizen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Required for 'not competent' and 'unclear'. For complaints and denunciations the routing "
            "guidance is used when empty."
        ),
    )
    duplicate_code = forms.CharField(
        label=_("Tracking code of the original petition"),
        required=False,
        max_length=40,
        help_text=_("For a duplicate: it is merged into this petition."),
    )

    def __init__(self, *args, petition, originals, **kwargs):
        super().__init__(*args, **kwargs)
        self.petition = petition
        self.originals = originals  # the petitions the user may see
        self.original = None

    def clean(self):
        data = super().clean()
        reason = data.get("reason")
        note = (data.get("note") or "").strip()
        if reason in (RejectionReason.NOT_COMPETENT, RejectionReason.UNCLEAR) and not note:
            self.add_error("note", _("Explain the reason to the citizen."))
        if reason == RejectionReason.DUPLICATE:
            code = normalise_tracking_code(data.get("duplicate_code") or "")
            if not code:
                self.add_error("duplicate_code", _("Enter the tracking code of the original petition."))
            else:
                self.original = self.originals.filter(tracking_code=code).exclude(pk=self.petition.pk).first()
                if self.original is None:
                    self.add_error("duplicate_code", _("No other petition you can see has this tracking code."))
        data["original"] = self.original
        return data


class AssignForm(forms.Form):
    ASSIGN, TRANSFER = "assign", "transfer"

    mode = forms.ChoiceField(
        label=_("Action"),
        choices=[(ASSIGN, _("Assign")), (TRANSFER, _("Transfer (from the current handling unit)"))],
        initial=ASSIGN,
        widget=forms.RadioSelect,
    )
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Handling unit"))
    due_on = forms.DateField(label=_("Due on"), widget=date_input())
    note = forms.CharField(
        label=_("Instructions / reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A reason is required for a transfer."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise ValidationError(_("The due date cannot be in the past."))
        return due_on

    def clean(self):
        data = super().clean()
        if data.get("mode") == self.TRANSFER and not (data.get("note") or "").strip():
            self.add_error("note", _("Give the reason for the transfer."))
        return data


class BulkAssignForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Handling unit"))
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=date_input(),
        help_text=_("Empty: each petition's deadline from the rule in force, in working days."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on and due_on < timezone.localdate():
            raise ValidationError(_("The due date cannot be in the past."))
        return due_on


class ExtendForm(forms.Form):
    new_due_on = forms.DateField(label=_("New due date"), widget=date_input())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, petition: Petition, **kwargs):
        super().__init__(*args, **kwargs)
        self.petition = petition

    def clean_new_due_on(self):
        new_due_on: datetime.date = self.cleaned_data["new_due_on"]
        if self.petition.due_on and new_due_on <= self.petition.due_on:
            raise ValidationError(_("The new due date must be later than the current one."))
        return new_due_on


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}))
    document_number = forms.CharField(
        label=_("Document number"), max_length=64, help_text=_("E.g. 125/UBND-KT or 12-CV/ĐU.")
    )
    document_date = forms.DateField(label=_("Document date"), widget=date_input())
    evidence = CheckedFileField(
        label=_("Evidence file"),
        help_text=_("The signed answer or a photo: PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def clean_document_date(self):
        day = self.cleaned_data["document_date"]
        if day > timezone.localdate():
            raise ValidationError(_("The document date cannot be in the future."))
        return day


class OpinionForm(PortalForm):
    """An opinion raised at a held conference, entered by the unit's official: it becomes a petition."""

    kind = forms.ChoiceField(label=_("Kind"), choices=PetitionKind.choices, initial=PetitionKind.RECOMMENDATION)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(is_active=True))
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))
    petitioner_name = forms.CharField(label=_("Name (optional)"), max_length=150, required=False)
    petitioner_phone = forms.CharField(label=_("Phone (optional)"), max_length=20, required=False)
    answer_on_spot = forms.CharField(
        label=_("Answered on the spot"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The chair's answer, if one was given at the conference."),
    )

    def clean_petitioner_phone(self):
        raw = self.cleaned_data["petitioner_phone"].strip()
        if not raw:
            return ""
        try:
            number = PhoneNumber.from_string(raw, region="VN")
        except NumberParseException:
            number = None
        if number is None or not number.is_valid():
            raise forms.ValidationError(_("Enter a valid phone number, e.g. 0912 345 678."))
        return number.as_e164


class TransferOpenPetitionsForm(forms.Form):
    """Choose which successor takes over an old unit's open petitions (only its successors are offered)."""

    successor = UnitChoiceField(
        label=_("Successor unit"),
        queryset=AdministrativeUnit.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("Only the units that succeeded this one, and that you supervise, are offered."),
    )

    def __init__(self, *args, successors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = successors
        primary = successors.filter(predecessions__is_primary=True).first()
        if primary is not None and not self.is_bound:
            self.initial.setdefault("successor", primary.pk)
