from django.contrib import admin
from django.urls import include, path

from paperfeed.api.api import api

urlpatterns = [
    path("", include("paperfeed.ops.urls")),
    path("", include("paperfeed.feed.urls")),
    path("", include("paperfeed.search.urls")),
    path("", include("paperfeed.accounts.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("paperfeed.digests.urls")),
    path("", include("paperfeed.recs.urls")),
]
