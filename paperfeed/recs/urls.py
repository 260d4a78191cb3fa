from django.urls import path

from paperfeed.recs import views

urlpatterns = [
    path("recommendations/", views.recommendations, name="recommendations"),
    path("recommendations/reset/", views.reset, name="recommendations-reset"),
    path("recommendations/not-for-me/<path:arxiv_id>/", views.thumbs_down, name="recommendations-thumbs-down"),
]
