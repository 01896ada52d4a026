from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguePortalConfig(AppConfig):
    name = "dialogue_portal"
    verbose_name = _("Dialogue portal")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from dialogue_portal import checks  # noqa: F401  (registers the deployment check)
        from dialogue_portal.sessions import stamp_sign_in
        from notifications.receivers import on_report_ready
        from reports.services import report_ready

        # Siblings that do not import each other, connected here: a built automatic report is
        # announced to its supervisors through the outbox.
        report_ready.connect(on_report_ready, dispatch_uid="notifications.on_report_ready")
        user_logged_in.connect(stamp_sign_in, dispatch_uid="dialogue_portal.stamp_sign_in")
