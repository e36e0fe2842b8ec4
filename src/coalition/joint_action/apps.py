from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointActionConfig(AppConfig):
    name = "coalition.joint_action"
    label = "joint_action"
    verbose_name = _("Joint action")

    def ready(self) -> None:
        from coalition.joint_action import todos as action_todos
        from coalition.notifications import reminders, todos

        todos.register_todos("joint_action.commitments", action_todos.commitments_due)
        todos.register_todos("joint_action.workplan", action_todos.workplan_tasks_due)
        todos.register_steps("40.joint_action", action_todos.act_steps)
        reminders.register_daily("joint_action.commitments", action_todos.remind_commitments)
        action_todos.declare_all()
