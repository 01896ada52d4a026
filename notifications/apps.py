from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications and reminders")

    def ready(self):
        from notifications import receivers
        from petitions.services import petition_changed

        petition_changed.connect(receivers.on_petition_changed, dispatch_uid="notifications.petition_changed")
