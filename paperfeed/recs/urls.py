from django.urls import path
from django.views.generic import RedirectView

from paperfeed.recs import views

urlpatterns = [
    path("for-you/", views.for_you, name="for-you"),
    path("for-you/start/", views.start, name="for-you-start"),
    path("for-you/reset/", views.reset, name="for-you-reset"),
    path("for-you/relevant/<path:arxiv_id>/", views.thumbs_up, name="for-you-thumbs-up"),
    path("for-you/not-for-me/<path:arxiv_id>/", views.thumbs_down, name="for-you-thumbs-down"),
    # The old addresses: the page moves to /for-you/ (query string kept); the forms still work.
    path("recommendations/", RedirectView.as_view(pattern_name="for-you", query_string=True, permanent=True)),
    path("recommendations/reset/", views.reset, name="recommendations-reset"),
    path("recommendations/not-for-me/<path:arxiv_id>/", views.thumbs_down, name="recommendations-thumbs-down"),
]
