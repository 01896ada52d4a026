"""Refuse to serve with a configuration production cannot run on (see settings.CONFIGURATION_ERRORS)."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def refuse_to_serve_if_misconfigured() -> None:
    """Raise ImproperlyConfigured listing what the configuration lacks. Called where serving starts."""
    errors = getattr(settings, "CONFIGURATION_ERRORS", [])
    if errors:
        raise ImproperlyConfigured(" ".join(errors))


@checks.register(checks.Tags.security, deploy=True)
def check_configuration(app_configs, **kwargs):
    """Report each missing production setting under `check --deploy`."""
    return [checks.Error(message, id="dialogue_portal.E001") for message in settings.CONFIGURATION_ERRORS]
