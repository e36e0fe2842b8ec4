from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "coalition.learning"
    label = "learning"
    verbose_name = _("Learning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from coalition.learning import evidence, notices
        from coalition.notifications import reminders, todos

        evidence.register_builtin()
        notices.declare_all()
        todos.register_todos("learning.pauses", notices.pauses_due)
        reminders.register_daily("learning.pauses", notices.remind_pauses)
