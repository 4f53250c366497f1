from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "sunshine.planning"
    default_auto_field = "django.db.models.BigAutoField"
