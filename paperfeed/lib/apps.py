from django.apps import AppConfig


class LibConfig(AppConfig):
    """The lowest layer: framework-light helpers, and the rate-limit events every app's writes share."""

    name = "paperfeed.lib"
    label = "lib"
    default_auto_field = "django.db.models.BigAutoField"
