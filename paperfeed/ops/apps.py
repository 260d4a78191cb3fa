from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "paperfeed.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from paperfeed.ops import checks  # noqa: F401 - registers the deployment checks
