"""Admin actions and add pages that go through a service, as `audit.views.confirmed_action` does for views.

`run_service_on_each` runs a service call for each selected object and reports refusals
(`audit.transitions.TransitionNotAllowed`, validation errors) one message per object;
`ServiceAddAdminMixin` makes an add page create its object through a service.
"""

from django import forms
from django.utils.translation import gettext


def run_service_on_each(model_admin, request, queryset, call, *, allowed=None, done_message, message_args=None):
    """Call `call(obj)` (a service call) for each selected object and report the outcome.

    An object the user may not change, or for which `allowed(user, obj)` is False, is skipped
    with a message; a `TransitionNotAllowed` (or a validation error) is shown as one message per
    object and the others are still processed, each in the service's own transaction.
    Return the number of objects changed.
    """
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError

    from audit.transitions import TransitionNotAllowed

    done = 0
    for obj in queryset:
        if not model_admin.has_change_permission(request, obj) or (allowed and not allowed(request.user, obj)):
            model_admin.message_user(request, gettext("%(obj)s: you may not do this.") % {"obj": obj}, messages.ERROR)
            continue
        try:
            call(obj)
        except TransitionNotAllowed as exc:
            model_admin.message_user(request, f"{obj}: {exc.message}", messages.ERROR)
        except (ValidationError, PermissionDenied, ValueError) as exc:
            text = "; ".join(getattr(exc, "messages", None) or [str(exc)])
            model_admin.message_user(request, f"{obj}: {text}", messages.ERROR)
        else:
            done += 1
    if done:
        model_admin.message_user(request, done_message % {"count": done, **(message_args or {})}, messages.SUCCESS)
    return done


# --- Adding through a service -----------------------------------------------------------------


class _DryRunRollback(Exception):
    pass


def service_refusal(call) -> str | None:
    """Run `call()` in a savepoint that is always rolled back; return the service's refusal, or None.

    The add forms below ask the service itself whether it would accept the data, so that its
    checks are not copied into the admin; what it would write (rows, outbox, on-commit hooks) is
    rolled back with the savepoint.
    """
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import transaction

    from audit.transitions import TransitionNotAllowed

    try:
        with transaction.atomic():
            call()
            raise _DryRunRollback
    except _DryRunRollback:
        return None
    except TransitionNotAllowed as exc:
        return str(exc.message)
    except ValidationError as exc:
        return "; ".join(exc.messages)
    except PermissionDenied as exc:  # the permission matrix refused the actor (units.access.ActionNotAllowed)
        return str(exc)


class ServiceAddAdminMixin:
    """A model admin whose add page creates the object through a service (`create_through_service`).

    The add form shows the service's refusal as a form error; the change page stays a plain edit of
    the fields the subclass leaves editable.
    """

    def create_through_service(self, request, data: dict):
        """Create the object from the add form's cleaned data by calling the service; return it."""
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            return form_class
        model_admin = self

        class ServiceAddForm(form_class):
            def clean(self):
                cleaned = super().clean()
                if not self._errors:
                    refusal = service_refusal(lambda: model_admin.create_through_service(request, cleaned))
                    if refusal:
                        raise forms.ValidationError(refusal)
                return cleaned

        return ServiceAddForm

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = self.create_through_service(request, form.cleaned_data)
        # The admin goes on with `obj` (many-to-many fields, inlines, the log, the redirect).
        obj.__dict__.update(created.__dict__)
