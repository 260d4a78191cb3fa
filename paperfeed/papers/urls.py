from django.urls import path

from paperfeed.papers import views

urlpatterns = [
    path("paper/<path:arxiv_id>/", views.paper, name="paper"),
    path("author/<path:name>/", views.author, name="author"),
    path("category/<str:category>/", views.category, name="category"),
]
