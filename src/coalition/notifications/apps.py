from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "coalition.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from coalition.core import events as port
        from coalition.notifications import (
            events,
            lower_apps,
            security,  # noqa: F401  (declares the security event types)
            todos,
        )

        todos.register_todos("accounts.invitations", lower_apps.invitations_pending)
        lower_apps.declare_all()
        port.install(events.raise_event)
