from django.urls import include, path

urlpatterns = [
    path("", include("paperfeed.papers.urls")),
]
