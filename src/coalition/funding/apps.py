from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "coalition.funding"
    label = "funding"
    verbose_name = _("Funding")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from coalition.funding import ledger, notices
        from coalition.measurement.computed import Computation, register_computation
        from coalition.measurement.models import Kind
        from coalition.notifications import todos

        notices.declare_all()
        todos.register_todos("funding.choose", notices.calls_to_choose_in)
        todos.register_todos("funding.review", notices.reviews_to_write)
        register_computation(
            Computation(
                key="funding.resources_mobilised",
                label=ledger.MOBILISED_LABEL,
                definition=ledger.MOBILISED_DEFINITION,
                kind=Kind.MONEY,
                compute=ledger.mobilised_in_main_currency,
                records_url=ledger.mobilised_records_url,
            )
        )
