from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointActionConfig(AppConfig):
    name = "coalition.joint_action"
    label = "joint_action"
    verbose_name = _("Joint action")
