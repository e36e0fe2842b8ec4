from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "coalition.decisions"
    label = "decisions"
    verbose_name = _("Decisions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from coalition.decisions import notices
        from coalition.notifications import reminders, todos

        notices.declare_all()
        todos.register_todos("decisions.vote", notices.polls_to_vote_in)
        todos.register_todos("decisions.outcome", notices.outcomes_to_record)
        reminders.register_daily("decisions.close_due", notices.close_due)
        reminders.register_daily("decisions.closing", notices.remind_closing)
        reminders.register_daily("decisions.review", notices.remind_reviews)
