from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "sunshine.oversight"
    default_auto_field = "django.db.models.BigAutoField"
