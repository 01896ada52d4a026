"""The one shape of a one-shot action: confirm, then call one service.

Every app's one-shot views (approve, publish, cancel, assign …) fetch and authorise their object
first (`get_<model>_for_user`, 404 / 403) and then return `confirmed_action(...)`:

- GET shows `audit/confirmed_action.html`: the title, the object, what will happen and the
  action's form (`ConfirmForm` when there is nothing to fill in, `ReasonForm` for a required
  reason, `NoteForm` for an optional one, or the action's own form);
- POST validates the form and calls `perform(cleaned_data, by=user, ip=address)`, which calls one
  service. On success: a success message (and a warning if `perform` returned a text), then a
  redirect. A refusal of the domain (`REFUSED_ERRORS`: a forbidden transition, a validation error)
  is one error message on the same page, the input kept; a forbidden actor (`FORBIDDEN_ERRORS`) is
  a 403.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from audit.forms import ConfirmForm
from audit.services import client_ip
from audit.transitions import TransitionNotAllowed

TEMPLATE = "audit/confirmed_action.html"

# Errors a service raises when the domain refuses the action: shown as a message, nothing changed.
REFUSED_ERRORS: tuple[type[Exception], ...] = (TransitionNotAllowed, ValidationError)
# Errors a service raises when the actor may not act: a 403, like a failed predicate in the view.
FORBIDDEN_ERRORS: tuple[type[Exception], ...] = (PermissionDenied,)


def refusal_messages(error: Exception) -> list[str]:
    """Return the texts to show for a refused action."""
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [getattr(error, "message", "") or str(error)]


def report_refusal(request: HttpRequest, error: Exception) -> None:
    """Show a refused action the one way: an error message per reason."""
    for text in refusal_messages(error):
        messages.error(request, text)


def confirmed_action(
    request: HttpRequest,
    obj: Any,
    *,
    perform: Callable[..., Any],
    title: str,
    success: str,
    back_url: str,
    success_url: str | Callable[[Any], str] | None = None,
    form_class: type = ConfirmForm,
    form_kwargs: dict | None = None,
    initial: dict | None = None,
    question: str = "",
    button: str = "",
    danger: bool = False,
    summary_template: str = "",
    extra_template: str = "",
    script: str = "",
    multipart: bool = False,
    context: dict | None = None,
) -> HttpResponse:
    """Show the confirmation of an action on `obj` (GET) or carry it out (POST).

    `perform(cleaned_data, by=request.user, ip=client_ip(request))` calls the service; a text it
    returns is shown as a warning. `success_url` (default `back_url`) may be a function of what
    `perform` returned. `summary_template` shows the object (breadcrumb, status); `extra_template`
    adds guidance above the form. The caller has already fetched and authorised `obj`.
    """
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **(form_kwargs or {}))
        if form.is_valid():
            try:
                result = perform(form.cleaned_data, by=request.user, ip=client_ip(request))
            except FORBIDDEN_ERRORS as error:
                raise PermissionDenied(str(error)) from error
            except REFUSED_ERRORS as error:
                report_refusal(request, error)
            else:
                messages.success(request, success)
                if isinstance(result, str) and result:
                    messages.warning(request, result)
                target = success_url(result) if callable(success_url) else success_url
                return redirect(target or back_url)
    else:
        form = form_class(initial=initial or {}, **(form_kwargs or {}))
    page = {
        "object": obj,
        "form": form,
        "title": title,
        "question": question,
        "button": button or _("Confirm"),
        "danger": danger,
        "back_url": back_url,
        "action_url": request.path,
        "summary_template": summary_template,
        "extra_template": extra_template,
        "script": script,
        "multipart": multipart or _has_file_field(form.fields.values()),
    }
    return render(request, TEMPLATE, {**(context or {}), **page})


def _has_file_field(fields: Iterable) -> bool:
    return any(getattr(field.widget, "needs_multipart_form", False) for field in fields)
