from django.contrib import admin
from django.urls import include, path

from paperfeed.api.api import api

handler404 = "paperfeed.feed.errors.page_not_found"  # the site's 404 page; a listing's says how many pages it has

urlpatterns = [
    path("", include("paperfeed.ops.urls")),
    path("", include("paperfeed.discussion.urls")),
    path("", include("paperfeed.feed.urls")),
    path("", include("paperfeed.search.urls")),
    path("", include("paperfeed.accounts.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("paperfeed.digests.urls")),
    path("", include("paperfeed.recs.urls")),
]
