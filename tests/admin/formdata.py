"""Build the POST data a browser would send back for an admin change form, from the GET response."""

import datetime

from django.forms.widgets import SplitDateTimeWidget


def _add(data, form):
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(field.widget, SplitDateTimeWidget) or isinstance(
            getattr(field.widget, "widget", None), SplitDateTimeWidget
        ):
            if isinstance(value, datetime.datetime):
                data[f"{key}_0"], data[f"{key}_1"] = value.date().isoformat(), value.strftime("%H:%M:%S")
            continue
        if value is True:
            data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[key] = value.isoformat()
        elif hasattr(value, "name") and not isinstance(value, str):  # a file already stored
            continue
        else:
            data[key] = str(value)


def change_form_data(response, **overrides):
    """Return the data of the admin change form in `response` (with its inlines), updated with `overrides`."""
    data = {}
    _add(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add(data, formset.management_form)
        for form in formset.forms:
            _add(data, form)
    data.update(overrides)
    return data
