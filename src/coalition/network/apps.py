from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "coalition.network"
    label = "network"
    verbose_name = _("Relationship mapping")

    def ready(self) -> None:
        from coalition.network import todos as network_todos
        from coalition.notifications import todos

        todos.register_todos("network.answer", network_todos.survey_to_answer)
        todos.register_steps("30.network", network_todos.assess_steps)
        network_todos.declare_all()
