"""The e-mail alerts' subscribe form: an address, a ward in force, the offline picture CAPTCHA."""

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.utils.translation import gettext_lazy as _

from citizens.forms import HoneypotMixin, current_wards
from units.forms import UnitChoiceField
from units.models import AdministrativeUnit


class AlertCaptchaWidget(CaptchaTextInput):
    template_name = "opendata/includes/alert_captcha_widget.html"


class AlertSubscribeForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send you a message to confirm it; nothing else before you confirm."),
        error_messages={"invalid": _("Enter a valid e-mail address, e.g. ten@example.vn.")},
    )
    ward = UnitChoiceField(
        label=_("Ward or commune"),
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("Choose a ward or commune"),
        error_messages={"required": _("Choose the ward or commune whose news you want.")},
    )
    captcha = CaptchaField(
        label=_("Type the characters in the picture"),
        widget=AlertCaptchaWidget(),
        error_messages={"invalid": _("The characters do not match the picture. Please try the new picture.")},
        help_text=_("This shows that a person, not a robot, is asking. Letters are not case-sensitive."),
    )
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = current_wards()
        self.fields["ward"].widget.attrs["class"] = "form-select"
        self.fields["email"].widget.attrs.update({"class": "form-control", "autocomplete": "email"})
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
