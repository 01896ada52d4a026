"""Forms of the citizens' portal. Every text is normalised to NFC; NUL characters are refused
(Django's CharField validator), so PostgreSQL never sees them; nothing here has side effects."""

import datetime

import phonenumbers
from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from citizens.validators import MAX_ATTACHMENTS, normalise_text
from conferences.models import Conference, ConferenceStatus
from conferences.uploads import CITIZEN_ATTACHMENT, clean_upload
from petitions.codes import normalise_tracking_code
from petitions.models import ROUTED_OUT_KINDS, Category, PetitionKind, Verdict
from units.collation import vietnamese_key
from units.forms import UnitChoiceField
from units.models import AdministrativeUnit

# What each kind means, in plain words, shown beside the choice.
KIND_HELP = {
    PetitionKind.REPORT: _("Tell the ward about a problem you see: a broken street light, rubbish, flooding, noise…"),
    PetitionKind.RECOMMENDATION: _("Ask the ward to do something or to change how something is done."),
    PetitionKind.PROPOSAL: _("Suggest an idea or an initiative to improve life in the ward."),
    PetitionKind.COMMENT: _("Give your opinion on a plan, a policy or the ward's work."),
    PetitionKind.COMPLAINT: _(
        "You disagree with a decision or an action of an agency that affects you: this follows the Law on "
        "Complaints and is not filed on this portal."
    ),
    PetitionKind.DENUNCIATION: _(
        "You report a violation of the law by an official or an organisation: this follows the Law on "
        "Denunciations and is not filed on this portal."
    ),
}
UPCOMING_STATUSES = (ConferenceStatus.PLANNED, ConferenceStatus.ANNOUNCED)
PHONE_INVALID = _("Enter a valid phone number, e.g. 0912 345 678.")
CONFERENCE_HORIZON = datetime.timedelta(days=180)


class TextField(forms.CharField):
    """A CharField that normalises to NFC (and keeps Django's refusal of NUL characters)."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_text(value) if isinstance(value, str) else value


class VietnameseOrderIterator(forms.models.ModelChoiceIterator):
    """Yield the choices in the field's `sort_key` order (Vietnamese alphabetical order), in one query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in sorted(self.queryset, key=self.field.sort_key):
            yield self.choice(obj)


class ConferenceChoiceField(forms.ModelChoiceField):
    iterator = VietnameseOrderIterator

    @staticmethod
    def sort_key(obj):
        return (vietnamese_key(obj.unit.name), obj.planned_start)

    def label_from_instance(self, obj):
        when = timezone.localtime(obj.planned_start).strftime("%d/%m/%Y %H:%M")
        return f"{obj.unit.name} — {when} — {obj.title}"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class HoneypotMixin:
    """A field people never see (hidden by CSS, out of the tab order); robots fill it in."""

    honeypot_message = _("Your request could not be processed. Please try again.")

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(self.honeypot_message, code="honeypot")
        return ""


def current_wards():
    return AdministrativeUnit.objects.current().communes().order_by("name")


def upcoming_conferences(ward=None):
    now = timezone.now()
    qs = (
        Conference.objects.public()
        .filter(status__in=UPCOMING_STATUSES, planned_start__gt=now, planned_start__lte=now + CONFERENCE_HORIZON)
        .filter(unit__in=current_wards())
        .order_by("unit__name", "planned_start")
    )
    return qs.filter(unit=ward) if ward is not None else qs


class PetitionForm(HoneypotMixin, forms.Form):
    """Step 1 of sending a petition. `ward` narrows the conference list to that ward's."""

    unit = UnitChoiceField(
        label=_("Ward or commune"),
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("— Choose your ward or commune —"),
        help_text=_("Today's wards and communes (since 1/7/2025). Only know the old name? See the list below."),
    )
    kind = forms.ChoiceField(label=_("What kind of message is it?"), choices=PetitionKind.choices)
    category = forms.ModelChoiceField(
        label=_("Field"), queryset=Category.objects.none(), empty_label=_("— Choose a field —")
    )
    title = TextField(
        label=_("Title"), max_length=200, help_text=_("In a few words, e.g. “Street light broken in lane 12”.")
    )
    content = TextField(
        label=_("Content"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, where, since when, and what you ask for. At most 10,000 characters."),
    )
    location = TextField(
        label=_("Place (optional)"),
        max_length=300,
        required=False,
        help_text=_("An address or a landmark, e.g. “in front of house 15, lane 12, Phú Diễn street”."),
    )
    attachments = MultipleFileField(
        label=_("Photos or documents (optional)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
        help_text=_("Up to 5 files: JPEG, PNG or WebP pictures, or PDF documents, at most 5 MB each."),
    )
    remove_attachments = forms.BooleanField(label=_("Remove the files attached before"), required=False)
    petitioner_name = TextField(label=_("Your full name"), max_length=150)
    petitioner_phone = PhoneNumberField(
        label=_("Your phone number"),
        region="VN",
        help_text=_("E.g. 0912 345 678. Officials may call you about your petition."),
        error_messages={"invalid": PHONE_INVALID},
    )
    petitioner_email = forms.EmailField(
        label=_("Your e-mail (optional)"),
        required=False,
        max_length=254,
        help_text=_("We e-mail you a receipt and news of your petition."),
    )
    show_name_publicly = forms.BooleanField(
        label=_("Show my name on public pages"),
        required=False,
        initial=False,
        help_text=_("Off: public pages say “A citizen”. Officials handling your petition always see your name."),
    )
    consent = forms.BooleanField(
        label=_("I agree that the ward processes my personal data to handle this petition"),
        required=True,
        initial=False,
        help_text=_(
            "Your name, phone and e-mail are used only to handle your petition and to contact you about it. "
            "They are never published unless you ask. You can download them or ask for their erasure on "
            "the “My data” page."
        ),
        error_messages={"required": _("Please agree to the processing of your data: we cannot handle it otherwise.")},
    )
    requested_conference = ConferenceChoiceField(
        label=_("Raise it at an upcoming dialogue conference (optional)"),
        queryset=Conference.objects.none(),
        required=False,
        empty_label=_("— No, just handle it —"),
        help_text=_("The ward's next conferences. Choose one of your ward's."),
    )
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def __init__(self, *args, ward=None, has_draft_files=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = current_wards()
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.fields["requested_conference"].queryset = upcoming_conferences(ward).select_related("unit")
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["petitioner_phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["petitioner_email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["petitioner_name"].widget.attrs.update({"autocomplete": "name"})
        if not has_draft_files:
            del self.fields["remove_attachments"]

    def clean_petitioner_phone(self):
        """Accept Vietnamese numbers only, without an extension: officials call them from the ward."""
        number = self.cleaned_data.get("petitioner_phone")
        if number and (number.extension or phonenumbers.region_code_for_number(number) != "VN"):
            raise ValidationError(PHONE_INVALID, code="invalid")
        return number

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if kind in ROUTED_OUT_KINDS:
            raise ValidationError(
                _("Complaints and denunciations follow another procedure and are not filed here."), code="routed_out"
            )
        return kind

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("You can attach at most %(max)s files; you chose %(count)s."),
                code="too_many",
                params={"max": MAX_ATTACHMENTS, "count": len(files)},
            )
        checked, errors = [], []
        for upload in files:
            try:
                # Pictures come back re-encoded, without their EXIF (GPS position, camera, date).
                clean = clean_upload(upload, policy=CITIZEN_ATTACHMENT)
            except ValidationError as exc:
                errors.extend(exc.error_list)
                continue
            checked.append((clean.file, clean.content_type, clean.safe_name))
        if errors:
            raise ValidationError(errors)
        return checked

    def clean(self):
        cleaned = super().clean()
        conference, unit = cleaned.get("requested_conference"), cleaned.get("unit")
        if conference and unit and conference.unit_id != unit.pk:
            self.add_error("requested_conference", _("This conference is not one of the ward you chose."))
        return cleaned

    def draft_fields(self) -> dict:
        """Return the cleaned text fields in a form that the session can keep and this form can re-read."""
        c = self.cleaned_data
        return {
            "unit": c["unit"].pk,
            "kind": c["kind"],
            "category": c["category"].pk,
            "title": c["title"],
            "content": c["content"],
            "location": c["location"],
            "petitioner_name": c["petitioner_name"],
            "petitioner_phone": c["petitioner_phone"].as_e164,
            "petitioner_email": c["petitioner_email"],
            "show_name_publicly": c["show_name_publicly"],
            "consent": c["consent"],
            "requested_conference": c["requested_conference"].pk if c["requested_conference"] else "",
        }


class CaptchaWidget(CaptchaTextInput):
    template_name = "citizens/includes/captcha_widget.html"


class SendForm(HoneypotMixin, forms.Form):
    """Step 2: the preview's "send" button, behind the offline picture CAPTCHA."""

    captcha = CaptchaField(
        label=_("Type the characters in the picture"),
        widget=CaptchaWidget(),
        error_messages={"invalid": _("The characters do not match the picture. Please try the new picture.")},
        help_text=_("This shows that a person, not a robot, is sending. Letters are not case-sensitive."),
    )
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})


class TrackForm(forms.Form):
    code = TextField(
        label=_("Tracking code"),
        max_length=40,
        help_text=_("The code you received when you sent it, e.g. 7KQ2M-X9D4T."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        )

    def clean_code(self):
        code = normalise_tracking_code(self.cleaned_data["code"])
        if code is None:
            raise ValidationError(_("A tracking code has 10 letters and digits, e.g. 7KQ2M-X9D4T."), code="format")
        return code


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Was your issue resolved?"), choices=Verdict.choices, widget=forms.RadioSelect)
    rating = forms.TypedChoiceField(
        label=_("How good was the answer? (1 = very poor, 5 = very good)"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    comment = TextField(
        label=_("Comment (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("If it was not resolved, say what is still wrong: the ward reopens your petition."),
    )


class MyDataForm(forms.Form):
    code = TextField(label=_("Tracking code"), max_length=40)
    contact = TextField(
        label=_("The phone number or e-mail you gave"),
        max_length=254,
        help_text=_("We show your data only to someone who knows both."),
    )

    def clean_code(self):
        code = normalise_tracking_code(self.cleaned_data["code"])
        if code is None:
            raise ValidationError(_("A tracking code has 10 letters and digits, e.g. 7KQ2M-X9D4T."), code="format")
        return code

    def clean_contact(self):
        """Return ("email", address) or ("phone", E.164 number)."""
        raw = self.cleaned_data["contact"].strip()
        if "@" in raw:
            validate_email(raw)
            return ("email", raw.lower())
        try:
            number = phonenumbers.parse(raw, "VN")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ValidationError(_("Enter the phone number or e-mail address you gave."), code="contact")
        return ("phone", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


class WardFilterForm(forms.Form):
    """The ward (and period) filter of the public lists; invalid values are ignored, never an error page."""

    ward = UnitChoiceField(
        label=_("Ward or commune"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        empty_label=_("All wards and communes"),
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, include_past_units=True, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        units = AdministrativeUnit.objects.communes() if include_past_units else current_wards()
        self.fields["ward"].queryset = units.order_by("valid_to", "name")  # shown in Vietnamese order
        self.fields["ward"].widget.attrs["class"] = "form-select"
        if years:
            self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]
            self.fields["year"].widget.attrs["class"] = "form-select"
        else:
            del self.fields["year"]

    def value(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None


class HomeWardForm(forms.Form):
    ward = UnitChoiceField(
        label=_("Your ward or commune"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        empty_label=_("— Choose —"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = current_wards()
        self.fields["ward"].widget.attrs["class"] = "form-select"
