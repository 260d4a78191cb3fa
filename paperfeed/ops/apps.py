from django.apps import AppConfig
from django.db.backends.signals import connection_created

from paperfeed.ops.dbfiles import make_sqlite_files_private


class OpsConfig(AppConfig):
    name = "paperfeed.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from paperfeed.ops import checks  # noqa: F401 - registers the deployment checks

        connection_created.connect(make_sqlite_files_private, dispatch_uid="paperfeed-private-sqlite-files")
