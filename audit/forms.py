"""The forms of a confirmed action (see `audit.views.confirmed_action`), shared by every app."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ConfirmForm(forms.Form):
    """An action with nothing to fill in: the button is the confirmation."""


class ReasonForm(forms.Form):
    """An action that needs a written reason (kept on the audit row)."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason."))
        return reason


class NoteForm(forms.Form):
    """An action with an optional note."""

    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
