from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "sunshine.families"
    default_auto_field = "django.db.models.BigAutoField"
