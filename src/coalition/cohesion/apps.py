from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohesionConfig(AppConfig):
    name = "coalition.cohesion"
    label = "cohesion"
    verbose_name = _("Cohesion")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from coalition.cohesion import computations, evidence, links
        from coalition.core.extensions import register_links

        computations.register()
        evidence.register_defaults()
        register_links("joint_action.action_origin", "cohesion", links.origin)
