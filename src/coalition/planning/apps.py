from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "coalition.planning"
    label = "planning"
    verbose_name = _("Co-design and joint action")

    def ready(self) -> None:
        from coalition.notifications import reminders, todos
        from coalition.planning import notices
        from coalition.planning import todos as planning_todos

        todos.register_todos("planning.sign_agenda", planning_todos.agenda_to_sign)
        todos.register_todos("planning.vote", planning_todos.votes_to_cast)
        todos.register_steps("20.planning", planning_todos.codesign_steps)
        notices.declare_all()
        reminders.register_daily("planning.votes", planning_todos.vote_deadlines)
