from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications and reminders")

    def ready(self):
        from conferences.services import conference_changed
        from followup.services import followup_changed
        from notifications import receivers
        from petitions.services import petition_changed

        petition_changed.connect(receivers.on_petition_changed, dispatch_uid="notifications.petition_changed")
        followup_changed.connect(receivers.on_followup_changed, dispatch_uid="notifications.followup_changed")
        conference_changed.connect(receivers.on_conference_changed, dispatch_uid="notifications.conference_changed")
