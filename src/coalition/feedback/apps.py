from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "coalition.feedback"
    label = "feedback"
    verbose_name = _("Listening")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from coalition.feedback import actions, computed, notices
        from coalition.notifications import reminders

        notices.declare_all()
        computed.register_all()
        reminders.register_daily("feedback.survey_reminders", actions.do_remind_respondents)
