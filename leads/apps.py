from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = _("Leads")

    def ready(self) -> None:
        # Visitor privacy (badges) reaches what leads holds through this registration.
        from badges.privacy.registry import attendee_data_holder_register
        from leads.privacy import LeadsPrivacy

        attendee_data_holder_register(LeadsPrivacy())
