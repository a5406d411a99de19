from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

# Every app whose models hold text that people typed.
FAIRLEAD_APPS = ("fair", "exhibitors", "badges", "leads", "api")


class FairConfig(AppConfig):
    name = "fair"
    verbose_name = _("Fair")

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from fair.text import model_texts_normalize

        for app_label in FAIRLEAD_APPS:
            for model in apps.get_app_config(app_label).get_models():
                pre_save.connect(model_texts_normalize, sender=model, dispatch_uid=f"nfc-{model}")
