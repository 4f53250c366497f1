from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "sunshine.portal"
    default_auto_field = "django.db.models.BigAutoField"
