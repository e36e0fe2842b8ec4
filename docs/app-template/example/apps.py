from django.apps import AppConfig


class ExampleConfig(AppConfig):
    name = "coalition.example"
    default_auto_field = "django.db.models.BigAutoField"
