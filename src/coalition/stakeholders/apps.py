from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "coalition.stakeholders"
    label = "stakeholders"
    verbose_name = _("Stakeholder map")

    def ready(self) -> None:
        from coalition.coalitions.actions import add_joining_step
        from coalition.notifications import todos
        from coalition.stakeholders import todos as stakeholder_todos
        from coalition.stakeholders.actions import do_record_joining

        add_joining_step(do_record_joining)
        todos.register_steps("10.stakeholders", stakeholder_todos.assess_steps)
