from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "sunshine.analytics"
    default_auto_field = "django.db.models.BigAutoField"
