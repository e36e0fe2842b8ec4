from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "coalition.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from coalition.accounts import notices, reauth  # noqa: F401 - reauth connects the sign-in time receiver
        from coalition.notifications import todos

        todos.register_todos("accounts.invitations", notices.invitations_pending)
        notices.declare_all()
