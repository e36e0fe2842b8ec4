from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "coalition.planning"
    label = "planning"
    verbose_name = _("Co-design and joint action")
