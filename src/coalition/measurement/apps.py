from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementConfig(AppConfig):
    name = "coalition.measurement"
    label = "measurement"
    verbose_name = _("Shared measurement")

    def ready(self) -> None:
        from coalition.measurement import notices
        from coalition.measurement import todos as measurement_todos
        from coalition.notifications import reminders, todos

        todos.register_todos("measurement.data_due", measurement_todos.data_due)
        todos.register_todos("measurement.data_returned", measurement_todos.data_returned)
        todos.register_todos("measurement.approve", measurement_todos.approvals_waiting)
        todos.register_steps("50.measurement", measurement_todos.measure_steps)
        notices.declare_all()
        reminders.register_daily("measurement.reporting", notices.remind_reporters)
