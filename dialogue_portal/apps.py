from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguePortalConfig(AppConfig):
    name = "dialogue_portal"
    verbose_name = _("Dialogue portal")

    def ready(self):
        from dialogue_portal import checks  # noqa: F401  (registers the deployment check)
