from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "sunshine.review"
    default_auto_field = "django.db.models.BigAutoField"
