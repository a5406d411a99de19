from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BadgesConfig(AppConfig):
    name = "badges"
    verbose_name = _("Badges")

    def ready(self) -> None:
        from badges.services.staff import staff_signals_connect

        # Staff badges follow the exhibitors' staff lists (exhibitors/signals.py).
        staff_signals_connect()
