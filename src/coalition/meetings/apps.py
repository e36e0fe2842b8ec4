from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "coalition.meetings"
    label = "meetings"
    verbose_name = _("Meetings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from coalition.core.extensions import register_links
        from coalition.meetings import actions, links, notices
        from coalition.notifications import reminders, todos

        notices.declare_all()
        register_links("planning.meeting_rhythm", "meetings", links.rhythm)
        register_links("joint_action.action_origin", "meetings", links.origin)
        todos.register_todos("meetings.agendas", links.agendas_to_publish)
        reminders.register_daily("meetings.series", actions.do_extend_series)
