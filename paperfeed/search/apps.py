from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "paperfeed.search"
    label = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from paperfeed.ops.health import PROBES
        from paperfeed.search.health import probe_index

        PROBES["search_index"] = probe_index
