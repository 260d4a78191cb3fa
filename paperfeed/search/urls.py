from django.urls import path

from paperfeed.search import views

urlpatterns = [
    path("search/", views.search, name="search"),
]
