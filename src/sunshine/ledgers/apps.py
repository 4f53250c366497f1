from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "sunshine.ledgers"
    default_auto_field = "django.db.models.BigAutoField"
