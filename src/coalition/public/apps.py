from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "coalition.public"
    label = "public"
    verbose_name = _("Public page")
    default_auto_field = "django.db.models.BigAutoField"
