from django.apps import AppConfig


class CeremonyConfig(AppConfig):
    name = "sunshine.ceremony"
    default_auto_field = "django.db.models.BigAutoField"
