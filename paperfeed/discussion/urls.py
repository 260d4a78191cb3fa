from django.urls import path

from paperfeed.discussion import feeds, views

urlpatterns = [
    path("comment/<path:arxiv_id>/", views.post, name="comment"),
    path("comments/<int:pk>/edit/", views.edit, name="comment-edit"),
    path("comments/<int:pk>/delete/", views.delete, name="comment-delete"),
    path("comments/<int:pk>/hide/", views.hide, name="comment-hide"),
    path("comments/<int:pk>/show/", views.show, name="comment-show"),
    path("feeds/comments/<path:arxiv_id>.atom", feeds.CommentFeed(), name="feed-comments"),
]
