from django.urls import path, re_path

from paperfeed.feed import actions, feeds, fulltexts, hf_paths, views

urlpatterns = [
    # First, before any papers/ or paper/ route: Hugging Face's markdown path (paperfeed/feed/fulltexts.py).
    re_path(r"^papers/(?P<arxiv_id>.+)\.md$", fulltexts.paper_md, name="paper-markdown"),
    path("", views.daily, name="daily"),
    path("day/<str:day>/", views.daily, name="daily-day"),
    path("week/", views.week, name="week"),
    path("week/<str:week>/", views.week, name="week-of"),
    path("month/", views.month, name="month"),
    path("month/<str:month>/", views.month, name="month-of"),
    path("trending/", views.trending, name="trending"),
    path("about/", views.about, name="about"),
    path("paper/<path:arxiv_id>/", views.paper, name="paper"),
    path("author/<path:name>/", views.author, name="author"),
    path("category/<str:category>/", views.category, name="category"),
    path("submit/", actions.submit, name="submit"),
    path("submitted/", actions.submitted, name="submitted"),
    path("vote/<path:arxiv_id>/", actions.vote, name="vote"),
    path("feeds/daily.atom", feeds.DailyFeed(), name="feed-daily"),
    path("feeds/trending.atom", feeds.TrendingFeed(), name="feed-trending"),
    path("feeds/category/<str:category>.atom", feeds.CategoryFeed(), name="feed-category"),
    path("feeds/search.atom", feeds.SearchFeed(), name="feed-search"),
    # HF paths: huggingface.co's page paths redirect here (paperfeed/feed/hf_paths.py; never a /papers/ID.md)
    *hf_paths.urlpatterns,
]
