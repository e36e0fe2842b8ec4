from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "coalition.public"
    label = "public"
    verbose_name = _("Public page")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from coalition.core import extensions
        from coalition.public import actions, results, sections

        sections.register_builtin_sections()
        results.register_result_sections()
        extensions.on_public_content_changed("public.version", actions.content_changed)
