from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "coalition.feedback"
    label = "feedback"
    verbose_name = _("Listening")
    default_auto_field = "django.db.models.BigAutoField"
